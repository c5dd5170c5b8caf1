package dev.junction.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * The small bash programs the file tools run inside the jail. Arguments are passed as positional
 * parameters, never spliced into the source, so no path or pattern can inject shell code.
 * Exit status 3 means a refused path; anything the script prints on stderr is meant for the model.
 */
final class JailScripts {
  static final int REFUSED = 3;

  private static final String PRELUDE = """
      set -o pipefail
      check() {
        local r
        r=$(realpath -m -- "$1") || { echo "cannot resolve $1" >&2; exit 3; }
        case "$r" in
          /workspace|/workspace/*|/mnt/session/outputs|/mnt/session/outputs/*) ;;
          *) echo "refused: $1 resolves to $r, outside /workspace and /mnt/session/outputs" >&2; exit 3 ;;
        esac
      }
      regular() {
        [ -e "$1" ] || { echo "file not found: $1" >&2; exit 4; }
        [ -d "$1" ] && { echo "$1 is a directory" >&2; exit 5; }
        [ -f "$1" ] || { echo "$1 is not a regular file" >&2; exit 5; }
      }
      """;

  /** $1 path, $2 first line (0: whole file), $3 last line or $, $4 byte cap. */
  static final String READ = PRELUDE + """
      check "$1"; regular "$1"
      if [ "$2" -gt 0 ]; then sed -n "$2,$3p" -- "$1"; else cat -- "$1"; fi | head -c "$4"
      """;

  /** $1 path; content on stdin. */
  static final String WRITE = PRELUDE + """
      check "$1"
      [ -d "$1" ] && { echo "$1 is a directory" >&2; exit 5; }
      mkdir -p -- "$(dirname -- "$1")" && cat > "$1"
      """;

  /** $1 directory: prints "mtime path-relative-to-$1" NUL-separated, skipping .git. */
  static final String LIST = PRELUDE + """
      check "$1"
      [ -d "$1" ] || { echo "not a directory: $1" >&2; exit 4; }
      cd -- "$1" && find . -mindepth 1 -name .git -prune -o ! -type d -printf '%T@ %P\\0'
      """;

  /** $1 file or directory, $2 pattern. grep's "no match" (1) is not an error. */
  static final String GREP = PRELUDE + """
      check "$1"
      [ -e "$1" ] || { echo "not found: $1" >&2; exit 4; }
      grep -rnHIP --exclude-dir=.git -e "$2" -- "$1"
      rc=$?; [ $rc -eq 1 ] && exit 0; exit $rc
      """;

  private JailScripts() {
  }

  static List<String> argv(String script, String... args) {
    List<String> a = new ArrayList<>(List.of("/bin/bash", "--noprofile", "--norc", "-c", script, "tool"));
    a.addAll(List.of(args));
    return a;
  }
}
