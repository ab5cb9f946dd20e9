package io.herald.template;

/** A template failed to parse or to render. */
public class TemplateException extends RuntimeException {

    private final TemplateProblem problem;

    public TemplateException(TemplateProblem problem, Throwable cause) {
        super(problem.message(), cause);
        this.problem = problem;
    }

    public TemplateProblem problem() {
        return problem;
    }
}
