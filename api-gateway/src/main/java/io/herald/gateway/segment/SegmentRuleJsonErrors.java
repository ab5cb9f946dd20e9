package io.herald.gateway.segment;

import io.herald.gateway.web.JsonPaths;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.herald.api.segment.EngagementAction;
import io.herald.api.segment.InvalidSegmentRuleException;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentRules;

/**
 * The JSON reader refuses a rule node whose {@code type} is unknown or missing, and a field that
 * belongs to another kind of node (each kind is a record of its own), and an engagement node's {@code action}
 * outside the known ones. Those are answered like every
 * other bad rule node: {@code segment.rules.invalid} naming the path ({@code rules.children[2].event}).
 * A field no kind of node has stays an unknown field of the request, and a node that is not an
 * object a value of the wrong type. Flows use it for their branch rules.
 */
public final class SegmentRuleJsonErrors {

    private SegmentRuleJsonErrors() {
    }

    /** The rule error the reader's failure stands for, or null when it is not about a rule node. */
    public static InvalidSegmentRuleException of(Throwable readFailure) {
        if (readFailure instanceof UnrecognizedPropertyException unknown
                && SegmentRule.class.isAssignableFrom(unknown.getReferringClass())
                && SegmentRules.NODE_FIELDS.contains(unknown.getPropertyName())) {
            return SegmentRules.notUsed(JsonPaths.of(unknown), typeOf(unknown.getReferringClass()));
        }
        if (readFailure instanceof InvalidFormatException badValue && badValue.getTargetType() == EngagementAction.class) {
            return SegmentRules.unknownAction(JsonPaths.of(badValue));
        }
        if (readFailure instanceof InvalidTypeIdException badType
                && badType.getBaseType() != null && badType.getBaseType().getRawClass() == SegmentRule.class
                && (badType.getTypeId() != null || wasAnObject(badType))) {
            return SegmentRules.unknownType(JsonPaths.of(badType));
        }
        return null;
    }

    /** A missing type id is reported at the end of the object that lacks it (or at a scalar, not a node). */
    private static boolean wasAnObject(InvalidTypeIdException e) {
        return e.getProcessor() instanceof JsonParser parser && parser.currentToken() == JsonToken.END_OBJECT;
    }

    private static String typeOf(Class<?> node) {
        for (JsonSubTypes.Type type : SegmentRule.class.getAnnotation(JsonSubTypes.class).value()) {
            if (type.value() == node) {
                return type.name();
            }
        }
        throw new IllegalStateException(node + " is not a kind of rule node");
    }

}
