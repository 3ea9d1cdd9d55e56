import CEditLine
import Glibc

/// Facts about the terminal and locale that decide how ansinh reads input and draws output.
///
/// Everything here is computed on demand from the process state (locale, environment,
/// file descriptors), so there is no stored state to keep in sync or to guard for concurrency.
nonisolated enum TerminalSetup {
    /// Selects the user's locale, forcing a UTF-8 character type when it is not one; returns the codeset.
    ///
    /// Must run before `el_init` (libedit decides at init time whether input is UTF-8) and before
    /// anything that depends on `wcwidth`. Under `LANG=C`, `POSIX`, an unset `LANG` or a locale that
    /// is not installed, libedit would silently drop every non-ASCII character, which makes Vietnamese
    /// input impossible; so only `LC_CTYPE` is switched to the first of `C.UTF-8`, `C.utf8`,
    /// `en_US.UTF-8` that exists. Messages, collation and the rest stay as the user set them.
    ///
    /// `LC_NUMERIC` is reset to "C" afterwards: a user locale such as `vi_VN.UTF-8` makes `,` the
    /// decimal mark for `strtod` and `printf`, which would change how numbers parse and print.
    @discardableResult
    static func configureLocale() -> String {
        _ = setlocale(LC_ALL, "")
        _ = setlocale(LC_NUMERIC, "C")
        if !isUTF8(codeset) {
            for candidate in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, candidate) != nil {
                break
            }
        }
        return codeset
    }

    /// The codeset of the current `LC_CTYPE` (for example "UTF-8" or "ANSI_X3.4-1968").
    static var codeset: String { String(cString: cedit_codeset()) }

    /// Whether the current `LC_CTYPE` decodes UTF-8, which libedit needs for non-ASCII input.
    static var localeIsUTF8: Bool { isUTF8(codeset) }

    /// Columns of the terminal on standard output, or nil when standard output is not a terminal.
    static func width() -> Int? {
        guard stdoutIsTerminal else { return nil }
        let columns = cedit_terminal_columns(STDOUT_FILENO)
        return columns > 0 ? Int(columns) : nil
    }

    /// Whether standard input is a terminal.
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Whether standard output is a terminal.
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether ANSI colour codes may be written to standard output.
    ///
    /// False when `NO_COLOR` is set to a non-empty value (https://no-color.org), when `TERM` is
    /// unset, empty or `dumb` (no escape sequences understood), or when standard output is not
    /// a terminal (a pipe or file should get plain text that diffs cleanly).
    static var colorAllowed: Bool {
        if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return false }
        guard let term = environment("TERM"), !term.isEmpty, term != "dumb" else { return false }
        return stdoutIsTerminal
    }

    /// Whether output may use non-ASCII symbols such as box drawing, `…` and sparkline blocks.
    ///
    /// This is about decoration only; Vietnamese text is printed either way. True when the codeset
    /// is UTF-8 (after `configureLocale`'s fallback) and `TERM` is not `dumb` or `linux` (the Linux
    /// virtual console's default font has few glyphs beyond Latin-1 and line drawing, so bars and
    /// arrows turn into diamonds). It does not depend on standard output being a terminal: a file
    /// written under a UTF-8 locale can hold UTF-8 symbols.
    static var unicodeAllowed: Bool {
        guard localeIsUTF8 else { return false }
        if let term = environment("TERM"), term == "dumb" || term == "linux" { return false }
        return true
    }

    private static func isUTF8(_ codeset: String) -> Bool {
        let folded = codeset.lowercased()
        return folded == "utf-8" || folded == "utf8"
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
