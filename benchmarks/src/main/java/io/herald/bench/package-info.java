package io.herald.bench;
