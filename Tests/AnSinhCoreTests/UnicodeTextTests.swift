import Testing
@testable import AnSinhCore

@Suite struct UnicodeTextTests {
    @Test func foldsVietnamese() {
        #expect(UnicodeText.fold("Nam Từ Liêm") == "nam tu liem")
        #expect(UnicodeText.fold("ĐƯỜNG Đông") == "duong dong")
        #expect(UnicodeText.fold("Thanh Xua\u{0302}n") == "thanh xuan")  // decomposed input
    }

    @Test func nfcComposes() {
        #expect(UnicodeText.nfc("Xua\u{0302}n").unicodeScalars.count == 4)
        #expect(UnicodeText.nfc("Xua\u{0302}n") == "Xuân")
    }

    @Test func displayWidthCountsColumns() {
        #expect(UnicodeText.displayWidth("Thanh Xuân") == 10)
        #expect(UnicodeText.displayWidth("Xua\u{0302}n") == 4)  // the combining mark takes no column
        #expect(UnicodeText.displayWidth("越南") == 4)           // wide characters take two
        #expect(UnicodeText.pad("Từ", to: 5) == "Từ   ")
    }

    @Test func vietnameseAlphabeticalOrder() {
        let names = ["Quận 11", "Đống Đa", "Ba Đình", "Quận 2", "Ân Thi", "An Giang", "Tân Hưng", "Ăn", "Cà Mau", "Thanh Xuân", "Thạch Thất"]
        let sorted = names.sorted { VietnameseCollation.key($0).lexicographicallyPrecedes(VietnameseCollation.key($1)) }
        #expect(sorted == ["An Giang", "Ăn", "Ân Thi", "Ba Đình", "Cà Mau", "Đống Đa", "Quận 2", "Quận 11", "Tân Hưng", "Thạch Thất", "Thanh Xuân"])
    }

    @Test func tonesOrderWithinALetter() {
        // ngang < huyền < hỏi < ngã < sắc < nặng
        let words = ["má", "mà", "ma", "mạ", "mã", "mả"]
        let sorted = words.sorted { VietnameseCollation.key($0).lexicographicallyPrecedes(VietnameseCollation.key($1)) }
        #expect(sorted == ["ma", "mà", "mả", "mã", "má", "mạ"])
    }

    @Test func suggestionsIgnoreCaseAndDiacritics() {
        #expect(UnicodeText.suggestions(for: "distrct", among: ["district", "province", "value"]) == ["district"])
        #expect(UnicodeText.suggestions(for: "Thanh Xuan", among: ["Thanh Xuân", "Quận 11"]) == ["Thanh Xuân"])
        #expect(UnicodeText.suggestions(for: "zzzz", among: ["district"]).isEmpty)
    }
}

@Suite struct CollationFastPathTests {
    @Test(arguments: ["Quận 11", "ind_007", "Thanh Xuan", "A b-c", "x10y2", "", "ZZ top", "policy_credit_lending"])
    func asciiKeysMatchTheFullAlgorithm(_ text: String) {
        #expect(VietnameseCollation.asciiKey(text) == VietnameseCollation.fullKey(text) || !text.utf8.allSatisfy { $0 < 0x80 })
    }
}
