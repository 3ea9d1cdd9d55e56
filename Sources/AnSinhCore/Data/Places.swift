/// Names of Vietnam's provinces, regions and the whole country in the spellings real files use,
/// for `place(text)` and `place_kind(text)`. Built once, on first use, from the embedded
/// `datasets/provinces.csv` (the built-in table `provinces`).
///
/// A spelling is reduced to a key — diacritics and case dropped, punctuation and runs of spaces
/// made one space, and the words that only say what kind of place it is (`TP.`, `Thành phố`,
/// `Tỉnh`, `city`, `province`) removed — so `Hà Nội`, `HA NOI`, `Ha Noi`, `TP. Hồ Chí Minh`,
/// `Ho Chi Minh city`, `Thua Thien-Hue`, `Quang  Nam` and `" WHOLE COUNTRY"` all find their place.
/// Abbreviations that a key cannot reach (`TP.HCM`, `HCMC`, `Sài Gòn`) are listed here.
final class Places: Sendable {
    enum Kind: String, Sendable { case country, region, province }

    struct Place: Sendable {
        var name: String
        var kind: Kind
    }

    static let shared = Places()

    /// The canonical name of the whole country, as the Vietnamese statistics write it.
    static let countryName = "Cả nước"

    private let byKey: [String: Place]

    private init() {
        var entries: [String: Place] = [:]
        func add(_ spelling: String, _ place: Place) {
            let key = Places.key(spelling)
            if !key.isEmpty, entries[key] == nil { entries[key] = place }
            // "HANOI", "Danang": the same words written together.
            let joined = key.replacing(" ", with: "")
            if !joined.isEmpty, entries[joined] == nil { entries[joined] = place }
        }
        let country = Place(name: Places.countryName, kind: .country)
        for spelling in ["Cả nước", "Whole country", "Toàn quốc", "Việt Nam", "Viet Nam", "Vietnam", "Nationwide", "The whole country"] {
            add(spelling, country)
        }
        if let text = EmbeddedDataset.files.first(where: { $0.name == "provinces" })?.text {
            let options = CSVOptions.curated(types: ["code": .text])
            if let table = try? CSVImporter.load(text: text, name: "provinces", options: options).table {
                func column(_ name: String) -> [String?] {
                    guard let values = table.column(name) else { return Array(repeating: nil, count: table.rowCount) }
                    return (0..<table.rowCount).map { values.text(at: $0) }
                }
                let names = column("name"), english = column("name_gso_en")
                let regionsEn = column("region_en"), regionsVi = column("region_vi")
                for row in 0..<table.rowCount {
                    guard let name = names[row] else { continue }
                    let province = Place(name: name, kind: .province)
                    add(name, province)
                    if let spelling = english[row] { add(spelling, province) }
                    if let regionVi = regionsVi[row] {
                        let region = Place(name: regionVi, kind: .region)
                        add(regionVi, region)
                        if let regionEn = regionsEn[row] { add(regionEn, region) }
                    }
                }
            }
        }
        // Spellings a key cannot reach: abbreviations, the old name, other region names.
        let aliases: [(String, String)] = [
            ("HCM", "TP. Hồ Chí Minh"), ("TPHCM", "TP. Hồ Chí Minh"), ("HCMC", "TP. Hồ Chí Minh"),
            ("Sài Gòn", "TP. Hồ Chí Minh"), ("Saigon", "TP. Hồ Chí Minh"), ("HN", "Hà Nội"), ("Hanoi", "Hà Nội"),
            ("Hue", "Thừa Thiên Huế"), ("Huế", "Thừa Thiên Huế"), ("Đà Nẵng", "Đà Nẵng"), ("Danang", "Đà Nẵng"),
            ("Dac Lac", "Đắk Lắk"), ("Daklak", "Đắk Lắk"), ("Dak Lac", "Đắk Lắk"), ("Dac Nong", "Đắk Nông"),
            ("Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Haiphong", "Hải Phòng"), ("Cantho", "Cần Thơ"),
        ]
        for (spelling, name) in aliases {
            if let place = entries[Places.key(name)] { add(spelling, place) }
        }
        // The statistics office also writes regions shorter or longer than provinces.csv does.
        let regionAliases: [(String, String)] = [
            ("North Central and Central coastal areas", "Northern Central area and Central coastal area"),
            ("North Central Coast and South Central Coast", "Northern Central area and Central coastal area"),
            ("Northern midlands and mountainous areas", "Northern midlands and mountain areas"),
            ("Northern Midlands and Mountains", "Northern midlands and mountain areas"),
            ("Southeast", "South East"), ("Mekong Delta", "Mekong River Delta"), ("Đồng bằng sông Cửu Long (ĐBSCL)", "Mekong River Delta"),
        ]
        for (spelling, known) in regionAliases {
            if let place = entries[Places.key(known)] { add(spelling, place) }
        }
        byKey = entries
    }

    /// The place a spelling names, or nil when it is not known.
    func lookup(_ text: String) -> Place? {
        let key = Places.key(text)
        if let place = byKey[key] { return place }
        // "Tỉnh Long An", "Long An province": the kind words were dropped already; "TP.HCM" is
        // one word after punctuation is removed.
        return byKey[key.replacing(" ", with: "")]
    }

    /// Folded, punctuation as spaces, single spaces, without the words that name a kind of place.
    static func key(_ text: String) -> String {
        let folded = UnicodeText.fold(text)
        var cleaned = ""
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                cleaned.unicodeScalars.append(scalar)
            } else {
                cleaned.unicodeScalars.append(" ")
            }
        }
        var words = cleaned.split(separator: " ").map(String.init)
        let prefixes: [[String]] = [["thanh", "pho"], ["tp"], ["tinh"], ["province", "of"]]
        for prefix in prefixes where words.count > prefix.count && Array(words.prefix(prefix.count)) == prefix {
            words.removeFirst(prefix.count)
            break
        }
        for suffix in [["city"], ["province"], ["municipality"]] where words.count > suffix.count && Array(words.suffix(suffix.count)) == suffix {
            words.removeLast(suffix.count)
            break
        }
        return words.joined(separator: " ")
    }
}
