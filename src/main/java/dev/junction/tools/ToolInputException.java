package dev.junction.tools;

/** A tool call whose input cannot be run; its message goes back to the model as an error result. */
final class ToolInputException extends RuntimeException {
  ToolInputException(String message) {
    super(message, null, false, false);
  }
}
