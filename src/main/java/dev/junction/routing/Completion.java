package dev.junction.routing;

import dev.junction.provider.Cost;
import dev.junction.provider.FailureClass;
import dev.junction.provider.Usage;

/**
 * How a routed call ended once it was fully read: for a non-streaming call, when the reply arrived;
 * for a stream, when it ended (cleanly or not).
 *
 * @param failure null on a clean end; else the failure class (MALFORMED when the accumulated
 *     stream failed {@link ReplyCheck})
 * @param cost at the chosen target provider's prices
 */
public record Completion(Usage usage, Cost cost, FailureClass failure) {
}
