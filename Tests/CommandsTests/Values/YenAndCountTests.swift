import Commands
import Foundation
import Testing

/// Goal: money and counts never go negative, never wrap, and travel as plain JSON integers (I19).
@Suite("Yen and Count")
struct YenAndCountTests {
    @Test("Yen refuses negative values")
    func yenIsNeverNegative() {
        #expect(Yen(exactly: -1) == nil)
        #expect(Yen(exactly: 0) == Yen.zero)
        #expect(Yen(exactly: -5) == nil)
        #expect(Yen(exactly: UInt64.max) == nil)
        #expect(Yen(exactly: 1_210)?.value == 1_210)
    }

    @Test("Yen arithmetic is checked")
    func yenArithmetic() throws {
        let price: Yen = 1_210
        #expect(try price.adding(35_090) == 36_300)
        #expect(try Yen(exactly: 36_300)!.subtracting(price) == 35_090)
        #expect(throws: CheckedArithmeticError.negativeResult) { try price.subtracting(1_211) }
        #expect(throws: CheckedArithmeticError.overflow) { try Yen(exactly: Int64.max)!.adding(1) }
        #expect(try price.multiplied(by: 3) == 3_630)
        #expect(try Yen(exactly: 3_300)!.multiplied(by: Count(exactly: 4)!) == 13_200)
        #expect(throws: CheckedArithmeticError.overflow) { try Yen(exactly: Int64.max / 2 + 1)!.multiplied(by: 2) }
        #expect(try Yen.sum([1_100, 1_100]) == 2_200)
        #expect(try Yen.sum([]) == .zero)
        #expect(throws: CheckedArithmeticError.overflow) { try Yen.sum([Yen(exactly: Int64.max)!, 1]) }
    }

    @Test("Signed difference gives a deposit's delta (EX-9d, 9e)")
    func signedDifference() {
        #expect(Yen(exactly: 14_000)!.signedDifference(minus: 13_200) == 800)
        #expect(Yen(exactly: 12_980)!.signedDifference(minus: 13_200) == -220)
        #expect(Yen.zero.signedDifference(minus: Yen(exactly: Int64.max)!) == -Int64.max)
    }

    @Test(
        "Yen prints as on the documents",
        arguments: [
            (Int64(0), "0円"), (100, "100円"), (999, "999円"), (1_000, "1,000円"), (13_200, "13,200円"),
            (35_090, "35,090円"), (1_000_000, "1,000,000円"),
            (Int64.max, "9,223,372,036,854,775,807円"),
        ])
    func yenPrinted(_ row: (Int64, String)) {
        #expect(Yen(exactly: row.0)!.printed == row.1)
    }

    @Test("Yen is a plain JSON integer and decoding refuses negatives and fractions")
    func yenCodable() throws {
        struct Line: Codable, Equatable { var amountYen: Yen }
        let data = try JSONEncoder().encode(Line(amountYen: 13_200))
        #expect(String(decoding: data, as: UTF8.self) == #"{"amountYen":13200}"#)
        #expect(try JSONDecoder().decode(Line.self, from: data) == Line(amountYen: 13_200))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Line.self, from: Data(#"{"amountYen":-1}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Line.self, from: Data(#"{"amountYen":12.5}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Line.self, from: Data(#"{"amountYen":"100"}"#.utf8))
        }
    }

    @Test("Count arithmetic is checked and a balance never goes below zero (I1)")
    func countArithmetic() throws {
        let available: Count = 1
        #expect(throws: CheckedArithmeticError.negativeResult) { try available.applying(SignedCount(exactly: -2)!) }
        #expect(try available.applying(SignedCount(exactly: -1)!) == .zero)
        #expect(try available.applying(SignedCount(exactly: 3)!) == 4)
        #expect(try available.subtracting(1) == 0)
        #expect(throws: CheckedArithmeticError.negativeResult) { try Count.zero.subtracting(1) }
        #expect(throws: CheckedArithmeticError.overflow) { try Count(exactly: Int32.max)!.adding(1) }
        #expect(try Count(exactly: 30)!.multiplied(by: 2) == 60)
        #expect(throws: CheckedArithmeticError.overflow) { try Count(exactly: Int32.max)!.multiplied(by: 2) }
        #expect(try Count.sum([5, 11]) == 16)
        #expect(Count(exactly: -1) == nil)
        #expect(Count(exactly: Int(Int32.max) + 1) == nil)
    }

    @Test("SignedCount is never zero and its magnitude always fits")
    func signedCount() {
        #expect(SignedCount(exactly: 0) == nil)
        #expect(SignedCount(exactly: Int32.min) == nil)
        #expect(SignedCount(exactly: -Int32.max)?.magnitude == Count(exactly: Int32.max))
        #expect(SignedCount(exactly: -1)?.isAddition == false)
        #expect(SignedCount(exactly: 2)?.description == "+2")
    }

    @Test("Counts are plain JSON integers")
    func countCodable() throws {
        struct Row: Codable, Equatable {
            var balanceAfter: Count
            var delta: SignedCount
        }
        let row = Row(balanceAfter: 17, delta: SignedCount(exactly: -1)!)
        let data = try JSONEncoder().encode(row)
        #expect(String(decoding: data, as: UTF8.self).contains(#""balanceAfter":17"#))
        #expect(String(decoding: data, as: UTF8.self).contains(#""delta":-1"#))
        #expect(try JSONDecoder().decode(Row.self, from: data) == row)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"balanceAfter":-1,"delta":1}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"balanceAfter":1,"delta":0}"#.utf8))
        }
    }
}
