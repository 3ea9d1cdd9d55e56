@testable import AnSinhCore
import Testing

/// NFC of long runs of combining marks (issue 13): canonical order, then composition, in
/// linear time; and no script outside the allow-list is trusted to be NFC already.
struct NormalisationTests {
    @Test func aLongRunOfMarksOfTwoClassesIsOrderedThenComposed() {
        let count = 200
        var input = String.UnicodeScalarView(["a"])
        for _ in 0..<count { input.append("\u{0301}"); input.append("\u{0323}") }
        // Canonical order puts every dot below (class 220) before every acute (230); the first
        // dot below composes with `a` into U+1EA1; nothing composes with U+1EA1 and an acute.
        var expected = String.UnicodeScalarView(["\u{1EA1}"])
        for _ in 1..<count { expected.append("\u{0323}") }
        for _ in 0..<count { expected.append("\u{0301}") }
        let result = UnicodeText.nfc(String(input))
        #expect(Array(result.unicodeScalars) == Array(expected))
    }

    @Test func tibetanVowelsAreDecomposedIntoOrderedMarks() {
        let input = "\u{0F40}" + String(repeating: "\u{0F73}", count: 40)
        let result = UnicodeText.nfc(input)
        #expect(result.unicodeScalars.count == 81)
        #expect(Array(result.unicodeScalars.dropFirst().prefix(40)) == Array(repeating: "\u{0F71}", count: 40))
    }

    @Test(arguments: ["\u{212B}", "\u{0958}", "\u{0F73}", "\u{2126}", "\u{1100}\u{1161}", "a\u{0301}", "\u{2000}", "\u{05D0}\u{05B8}"])
    func textOutsideTheAllowListIsNotTrusted(_ text: String) {
        #expect(!UnicodeText.isCertainlyNFC(text.utf8))
    }

    @Test(arguments: ["Thanh Xuân", "Nam Từ Liêm", "Quận 11 — 5 €", "ĐƯỢC", "naïve"])
    func vietnameseAndLatinTextIsTrusted(_ text: String) {
        #expect(UnicodeText.isCertainlyNFC(text.utf8))
    }
}
