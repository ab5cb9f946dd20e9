package io.herald.gateway.web;

import org.springframework.http.HttpStatus;

/** A resource asked for by id does not exist (404 with the given code). */
public class NotFoundException extends ApiException {

    public NotFoundException(String code, String message) {
        super(HttpStatus.NOT_FOUND, code, message);
    }
}
