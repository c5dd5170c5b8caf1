/**
 * The built-in toolset {@code agent_toolset_20260401}: which tools an agent has enabled and under
 * which permission policy, the definitions the model is shown, and the executor that runs a tool call
 * (bash, read, write, edit, glob, grep inside a per-session {@link dev.junction.tools.Sandbox};
 * web_fetch from the gateway with private addresses refused) and turns it into MA tool-result content.
 */
package dev.junction.tools;
