import Testing
@testable import AnSinhCore

@Suite struct VietnameseNumberTests {
    @Test(arguments: [
        ("169,96 tỷ đồng", 169_960_000_000.0), ("4.200", 4200), ("22.715.200.000 đồng", 22_715_200_000),
        ("1 tỷ 810 triệu", 1_810_000_000), ("2 tỷ 225 triệu đồng", 2_225_000_000), ("852.3 triệu", 852_300_000),
        ("0,07%", 0.07), ("58,03 tỷ", 58_030_000_000), ("238,697 tỷ đồng", 238_697_000_000), ("4.743 triệu", 4_743_000_000),
        ("12,642 triệu", 12_642_000), ("3 nghìn", 3000), ("7,5 tỉ", 7_500_000_000), ("không", 0), ("100", 100), ("-1,5", -1.5),
    ])
    func parsesWholeValues(_ text: String, _ expected: Double) {
        #expect(VietnameseNumber.parseValue(text) == expected, "\(text)")
    }

    @Test(arguments: ["", "abc", "1/2", "12 người 5", "tỷ"])
    func rejectsNonNumbers(_ text: String) {
        #expect(VietnameseNumber.parseValue(text) == nil, "\(text)")
    }

    @Test func ratiosGiveBothSides() {
        let ratio = VietnameseNumber.parseRatio("4.509/4.500")
        #expect(ratio?.achieved == 4509)
        #expect(ratio?.plan == 4500)
    }

    @Test func findsEveryNumberInASentence() {
        let found = VietnameseNumber.findAll(in: "hỗ trợ tạo việc làm cho 4.509/4.500 lao động đạt 100,2% kế hoạch")
        #expect(found.map(\.value) == [4509, 4500, 100.2])
        #expect(found.map(\.isPercent) == [false, false, true])
        let money = VietnameseNumber.findAll(in: "với tổng 1 tỷ 810 triệu đồng; Các cấp Hội CTĐ trao tặng 5.050 suất quà")
        #expect(money.map(\.value) == [1_810_000_000, 5050])
    }

    @Test func zeroWordsCount() {
        let found = VietnameseNumber.findAll(in: "đến cuối 2024, toàn quận không còn hộ cận nghèo")
        #expect(found.map(\.value).contains(0))
        #expect(found.map(\.value).contains(2024))
    }

    @Test func malformedGroupingIsFlagged() {
        let found = VietnameseNumber.findAll(in: "với số tiền 136.000.0000 đồng")
        #expect(found.count == 1)
        #expect(found.first?.isWellFormed == false)
        #expect(VietnameseNumber.findAll(in: "22.715.200.000 đồng").first?.isWellFormed == true)
    }

    @Test func exactInBaseUnits() {
        // 169,96 × 10⁹ must be exactly 169960000000, not 169959999999.99998.
        #expect(VietnameseNumber.parseValue("169,96 tỷ") == 169_960_000_000)
        #expect(VietnameseNumber.parseValue("0,1 tỷ") == 100_000_000)
    }
}
