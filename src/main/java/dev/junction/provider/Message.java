package dev.junction.provider;

import java.util.List;
import java.util.Objects;

/** One conversation turn: a role and its content blocks. */
public record Message(Role role, List<ContentBlock> content) {
  public Message {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
  }

  public static Message user(String text) {
    return new Message(Role.USER, List.of(new ContentBlock.Text(text)));
  }

  public static Message user(ContentBlock... blocks) {
    return new Message(Role.USER, List.of(blocks));
  }

  public static Message assistant(ContentBlock... blocks) {
    return new Message(Role.ASSISTANT, List.of(blocks));
  }
}
