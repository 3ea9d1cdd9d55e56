/// The encodings an import reads, and the conversion of the ones that are not UTF-8.
///
/// UTF-8 (with or without a byte-order mark) is read in place. UTF-16 with a byte-order mark
/// (Excel's "Unicode text") is converted. A file that is not valid UTF-8 is converted from a
/// single-byte encoding — Windows-1258 (Vietnamese) when its bytes look Vietnamese, else
/// Latin-1 (as Windows-1252) — and the import says which one it took and how to choose the other.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    case windows1258 = "windows-1258"
    case latin1 = "latin-1"

    /// The name as written in `(encoding '…')`: `utf8`, `cp1258`, `iso-8859-1` are accepted too.
    public static func named(_ text: String) -> TextEncoding? {
        let key = String(text.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "utf8": return .utf8
        case "utf16", "utf16le": return .utf16le
        case "utf16be": return .utf16be
        case "windows1258", "cp1258", "vietnamese": return .windows1258
        case "latin1", "iso88591", "windows1252", "cp1252": return .latin1
        default: return nil
        }
    }

    static let names = "utf-8, utf-16le, utf-16be, windows-1258, latin-1"

    /// Unicode scalars of bytes 0x80…0xFF in Windows-1258 (five of them combining tone marks).
    static let windows1258High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x008A, 0x2039, 0x0152, 0x008D, 0x008E, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x009A, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
    ]

    /// Bytes 0x80…0x9F in Windows-1252 (what files called Latin-1 really hold); 0xA0… are Latin-1.
    static let windows1252Low: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Which single-byte encoding the bytes look like: Windows-1258 when its Vietnamese letters
    /// đ ơ ư, or tone marks right after a letter, outnumber the bytes that are only Latin-1
    /// letters; else Latin-1. (Ă/ă and Ã/ã share a byte and count for neither.)
    static func guessSingleByte(_ bytes: UnsafeBufferPointer<UInt8>) -> TextEncoding {
        var vietnamese = 0
        var latin = 0
        var previous: UInt8 = 0
        for byte in bytes {
            defer { previous = byte }
            guard byte >= 0x80 else { continue }
            switch byte {
            case 0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD: vietnamese += 1
            // Letters both encodings share at the same byte (à á â è é ê ì í ó ô ù ú ý, Ă/Ã).
            case 0xC0, 0xC1, 0xC2, 0xC3, 0xC8, 0xC9, 0xCA, 0xCD, 0xD3, 0xD4, 0xD9, 0xDA,
                 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xED, 0xF3, 0xF4, 0xF9, 0xFA: break
            case 0xCC, 0xEC, 0xD2, 0xDE, 0xF2:
                let lower = previous | 0x20
                if (lower >= 0x61 && lower <= 0x7A) || previous >= 0xC0 { vietnamese += 1 } else { latin += 1 }
            default: latin += 1
            }
        }
        return vietnamese > latin ? .windows1258 : .latin1
    }

    /// The bytes converted to UTF-8 (NFC for Windows-1258, whose tone marks are combining).
    static func convertToUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from encoding: TextEncoding) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        func append(_ value: UInt32) {
            guard let scalar = Unicode.Scalar(value) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); return }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        switch encoding {
        case .utf8:
            out.append(contentsOf: bytes)
        case .windows1258, .latin1:
            var sawCombining = false
            for byte in bytes {
                if byte < 0x80 { out.append(byte); continue }
                let value: UInt32
                if encoding == .windows1258 {
                    value = windows1258High[Int(byte) - 0x80]
                    if value >= 0x0300 && value <= 0x0323 { sawCombining = true }
                } else {
                    value = byte < 0xA0 ? windows1252Low[Int(byte) - 0x80] : UInt32(byte)
                }
                append(value)
            }
            if sawCombining {
                // Compose line by line so that a line break is never moved.
                var composed: [UInt8] = []
                composed.reserveCapacity(out.count)
                var lineStart = 0
                for index in 0...out.count where index == out.count || out[index] == 0x0A {
                    let line = String(decoding: out[lineStart..<index], as: UTF8.self)
                    composed.append(contentsOf: Array(UnicodeText.nfc(line).utf8))
                    if index < out.count { composed.append(0x0A) }
                    lineStart = index + 1
                }
                out = composed
            }
        case .utf16le, .utf16be:
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 0
            while index + 1 < bytes.count {
                let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
                units.append(encoding == .utf16le ? first | second << 8 : first << 8 | second)
                index += 2
            }
            out.append(contentsOf: Array(String(decoding: units, as: UTF16.self).utf8))
        }
        return out
    }

    /// Whether the first bytes look like UTF-16 without a byte-order mark: text whose every
    /// other byte is zero (`a\0,\0b\0`).
    static func looksLikeUTF16WithoutBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> TextEncoding? {
        let sample = min(bytes.count, 512) & ~1
        guard sample >= 4 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for index in 0..<sample where bytes[index] == 0 {
            if index & 1 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        let half = sample / 2
        if zeroOdd * 10 >= half * 9, zeroEven == 0 { return .utf16le }
        if zeroEven * 10 >= half * 9, zeroOdd == 0 { return .utf16be }
        return nil
    }
}
