package dev.junction.tools.bwrap;

import dev.junction.tools.Cancellation;
import dev.junction.tools.ExecResult;
import dev.junction.tools.ExecResult.Ending;
import dev.junction.tools.JailFixture;
import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BwrapShellIT {
  private static final Duration T = Duration.ofSeconds(20);
  private JailFixture jail;
  private SandboxSession s;

  @BeforeEach
  void open() throws Exception {
    jail = new JailFixture();
    s = jail.open(false, SandboxLimits.defaults());
  }

  @AfterEach
  void close() throws Exception {
    jail.close();
  }

  private ExecResult sh(String cmd) throws Exception {
    return await(s.shell(cmd, T, Cancellation.none()));
  }

  @Test
  void shouldKeepWorkingDirectoryAndVariablesBetweenCalls() throws Exception {
    assertEquals(Ending.EXITED, sh("mkdir -p sub/dir && cd sub/dir && export GREETING=hello").ending());
    ExecResult r = sh("pwd; echo \"$GREETING\"");
    assertEquals("/workspace/sub/dir\nhello\n", r.stdout().render());
    assertEquals(0, r.exitCode());
  }
}
