package dev.junction.harness;

import dev.junction.routing.SubTask;

import dev.junction.provider.Cancellation;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.StreamEvent;

import dev.junction.routing.Attributes;

import java.util.function.Consumer;

/**
 * One model call the harness wants made.
 *
 * @param subTask      what the call is for
 * @param request      the canonical request; {@code model} is the model the agent asked for
 * @param attributes   what routing rules may match on (tenant, agent id/name, hint, metadata ...)
 * @param cancellation cancelled on interrupt; the upstream request is then reset
 * @param previews     when not null the call streams and every canonical event is passed here as it
 *                     arrives (for {@code event_deltas} previews); null for a plain call
 */
public record ModelCall(SubTask subTask, ModelRequest request, Attributes attributes, Cancellation cancellation,
                        Consumer<StreamEvent> previews) {
}
