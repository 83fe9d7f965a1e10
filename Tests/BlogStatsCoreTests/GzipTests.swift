import Foundation
import Testing

@testable import BlogStatsCore

/// CRC-32 (IEEE, as in the gzip trailer), written out here so the tests do not depend on zlib's.
private func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for index in 0..<256 {
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        table[index] = value
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

private func littleEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
}

/// A deterministic pseudo-random generator (xorshift), so failures are reproducible.
private struct XorShift {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// A gzip member written by hand: one fixed-Huffman deflate block holding a literal zero and then
/// `matches` copies of "repeat the last 258 bytes at distance 1" — 13 bits for every 258 zeros, which is
/// how a bomb gets its ratio. Memory stays at the compressed size however large the output would be.
private func zeroBomb(matches: Int, withCRC: Bool) -> (member: [UInt8], inflatedSize: Int) {
    var bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
    bytes.reserveCapacity(matches * 13 / 8 + 64)
    var buffer: UInt64 = 0
    var bitCount = 0
    func write(_ value: UInt64, _ bits: Int) {
        buffer |= value << bitCount
        bitCount += bits
        while bitCount >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bitCount -= 8
        }
    }
    write(1, 1)  // BFINAL
    write(1, 2)  // BTYPE 01: fixed Huffman codes
    write(0x0C, 8)  // literal 0: code 00110000, sent most significant bit first
    for _ in 0..<matches {
        write(0xA3, 13)  // length 258: code 285 = 11000101 (bit-reversed 0xA3), then distance code 0 = 00000
    }
    write(0, 7)  // end of block: code 256 = 0000000
    if bitCount > 0 { write(0, 8 - bitCount) }
    let size = 1 + 258 * matches
    bytes += littleEndian(withCRC ? crc32(repeatElement(UInt8(0), count: size)) : 0)
    bytes += littleEndian(UInt32(truncatingIfNeeded: size))
    return (bytes, size)
}

private func inflateFailure(_ input: [UInt8], limit: Int = 1 << 24) -> Gzip.Failure? {
    do {
        _ = try Gzip.inflate(input, limit: limit)
        return nil
    } catch {
        return error
    }
}

private func isCorrupt(_ failure: Gzip.Failure?) -> Bool {
    if case .corrupt = failure { return true }
    return false
}

@Suite("Gzip")
struct GzipTests {
    static let samples: [[UInt8]] = {
        var random = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        let text = (0..<5000).map { "\($0),slug-\($0),\($0 * 31),Title ünïcödé 😀 \($0)\r\n" }.joined()
        return [
            [], [0], Array("hello".utf8), Array(0...255), random.bytes(100_000), Array(text.utf8),
            [UInt8](repeating: 0x41, count: 200_000),
        ]
    }()

    @Test("round trip", arguments: samples.indices)
    func roundTrip(_ sample: Int) throws {
        let input = Self.samples[sample]
        let compressed = Gzip.deflate(input)
        #expect(try Gzip.inflate(compressed, limit: input.count) == input)
    }

    @Test("round trip at every level", arguments: [0, 1, 6, 9] as [Int32])
    func levels(_ level: Int32) throws {
        let input = Array(String(repeating: "view_count,title\n", count: 4000).utf8)
        let compressed = Gzip.deflate(input, level: level)
        #expect(try Gzip.inflate(compressed, limit: input.count) == input)
        if level > 0 { #expect(compressed.count < input.count / 10) }
    }

    @Test func deflateWritesOneGzipMemberWithTheRightTrailer() {
        let input = Array("id,slug,view_count,title\n1,a,2,B\n".utf8)
        let member = Gzip.deflate(input)
        #expect(member.count > 18)
        #expect(Array(member.prefix(3)) == [0x1F, 0x8B, 0x08])
        #expect(Array(member.suffix(8)) == littleEndian(crc32(input)) + littleEndian(UInt32(input.count)))
    }

    @Test(.enabled(if: TestSupport.which("gzip") != nil, "needs the gzip CLI"), arguments: ["-1", "-6", "-9"])
    func inflatesTheGzipCLIOutput(_ level: String) throws {
        let gzip = try #require(TestSupport.which("gzip"))
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let input = Self.samples[5] + Self.samples[4]
        let file = directory.appendingPathComponent("body.csv")
        try Data(input).write(to: file)
        // Without -n the member carries the file name and time in its header, which must be skipped.
        let output = try TestSupport.run(gzip, ["-c", level, file.path])
        #expect(output.status == 0, "gzip failed: \(output.stderr)")
        #expect(output.stdout.count < input.count)
        #expect(try Gzip.inflate(output.stdout, limit: input.count) == input)
    }

    @Test(.enabled(if: TestSupport.which("gzip") != nil, "needs the gzip CLI"))
    func gzipCLIReadsDeflateOutput() throws {
        let gzip = try #require(TestSupport.which("gzip"))
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let input = Self.samples[5]
        let file = directory.appendingPathComponent("body.csv.gz")
        try Data(Gzip.deflate(input) + Gzip.deflate(Self.samples[3])).write(to: file)
        let output = try TestSupport.run(gzip, ["-dc", file.path])
        #expect(output.status == 0, "gzip failed: \(output.stderr)")
        #expect(output.stdout == input + Self.samples[3])
    }

    @Test(.enabled(if: TestSupport.which("gzip") != nil, "needs the gzip CLI"))
    func concatenatedMembersFromTheGzipCLI() throws {
        let gzip = try #require(TestSupport.which("gzip"))
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        var compressed: [UInt8] = []
        var expected: [UInt8] = []
        for (index, part) in [Array("id,slug,view_count,title\n".utf8), Self.samples[4], [], Array("9,z,9,Z\n".utf8)]
            .enumerated()
        {
            let file = directory.appendingPathComponent("part\(index)")
            try Data(part).write(to: file)
            let output = try TestSupport.run(gzip, ["-c", file.path])
            #expect(output.status == 0)
            compressed += output.stdout
            expected += part
        }
        #expect(try Gzip.inflate(compressed, limit: expected.count) == expected)
    }

    @Test func concatenatedMembers() throws {
        let first = Array("id,slug,view_count,title\n".utf8)
        let second = Self.samples[4]
        let third = Array("1,a,2,B\n".utf8)
        let body = Gzip.deflate(first) + Gzip.deflate([]) + Gzip.deflate(second) + Gzip.deflate(third)
        #expect(try Gzip.inflate(body, limit: 1 << 20) == first + second + third)
    }

    @Test func theLimitIsInclusive() throws {
        let input = Self.samples[6]
        let compressed = Gzip.deflate(input)
        #expect(try Gzip.inflate(compressed, limit: input.count) == input)
        #expect(inflateFailure(compressed, limit: input.count - 1) == .tooLarge(limit: input.count - 1))
        #expect(inflateFailure(compressed, limit: 0) == .tooLarge(limit: 0))
        #expect(try Gzip.inflate(Gzip.deflate([]), limit: 0) == [])
    }

    @Test func theLimitCountsAllConcatenatedMembers() throws {
        let member = Gzip.deflate([UInt8](repeating: 7, count: 10_000))
        #expect(try Gzip.inflate(member + member + member, limit: 30_000).count == 30_000)
        #expect(inflateFailure(member + member + member, limit: 29_999) == .tooLarge(limit: 29_999))
    }

    @Test func handWrittenBombGeneratorIsValidGzip() throws {
        // The generator used for the bomb below, at a size whose CRC is cheap to compute.
        let (member, size) = zeroBomb(matches: 4000, withCRC: true)
        #expect(size == 1_032_001)
        #expect(member.count < 7000)
        let output = try Gzip.inflate(member, limit: size)
        #expect(output.count == size)
        #expect(!output.contains { $0 != 0 })
    }

    @Test func singleMemberZipBombStopsAtTheLimit() {
        // About 100 MB of zeros in about 650 KB. The trailer's CRC is left at zero: the inflater must give up
        // long before it gets there (were the limit ignored, the CRC mismatch would make this `.corrupt`).
        let (bomb, size) = zeroBomb(matches: 406_425, withCRC: false)
        #expect(size > 100 << 20)
        #expect(bomb.count < 700_000)
        #expect(inflateFailure(bomb, limit: 16 << 20) == .tooLarge(limit: 16 << 20))
    }

    @Test func multiMemberZipBombStopsAtTheLimit() {
        // 100 members of 1 MiB of zeros each: a valid gzip stream that inflates to 100 MiB.
        let member = Gzip.deflate([UInt8](repeating: 0, count: 1 << 20), level: 9)
        #expect(member.count < 2048)
        let bomb = Array([[UInt8]](repeating: member, count: 100).joined())
        #expect(inflateFailure(bomb, limit: 16 << 20) == .tooLarge(limit: 16 << 20))
    }

    @Test func zlibStreamsAreAcceptedToo() throws {
        let payload = Array("zlib, not gzip".utf8)
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in payload {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        let adler = b << 16 | a
        let length = UInt16(payload.count)
        let stream: [UInt8] =
            [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            + payload + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
        #expect(try Gzip.inflate(stream, limit: 100) == payload)
    }

    @Test func notGzipAtAll() {
        #expect(inflateFailure(Array("id,slug,view_count,title\n1,a,2,B\n".utf8)) == .corrupt("incorrect header check"))
    }

    @Test func emptyInputIsCorrupt() {
        #expect(isCorrupt(inflateFailure([])))
    }

    @Test("truncated streams are corrupt", arguments: [1, 2, 9, 10, 11, 100, -8, -4, -1])
    func truncated(_ keep: Int) {
        let member = Gzip.deflate(Self.samples[5])
        let cut = keep > 0 ? Array(member.prefix(keep)) : Array(member.dropLast(-keep))
        #expect(inflateFailure(cut) == .corrupt("truncated stream"))
    }

    @Test func wrongCRCAndLength() {
        let input = Self.samples[5]
        let member = Gzip.deflate(input)
        var badCRC = member
        badCRC[badCRC.count - 8] ^= 0x01
        #expect(inflateFailure(badCRC) == .corrupt("incorrect data check"))
        var badLength = member
        badLength[badLength.count - 4] ^= 0x01
        #expect(inflateFailure(badLength) == .corrupt("incorrect length check"))
    }

    @Test func damagedDataIsCorrupt() {
        let member = Gzip.deflate(Self.samples[5])
        for offset in stride(from: 12, to: member.count - 8, by: max(1, member.count / 40)) {
            var damaged = member
            damaged[offset] ^= 0x5A
            let failure = inflateFailure(damaged)
            #expect(isCorrupt(failure), "offset \(offset): \(String(describing: failure))")
        }
    }

    @Test func randomBytesAfterAMemberAreCorrupt() {
        var random = XorShift(state: 42)
        let body = Gzip.deflate(Array("ok".utf8)) + [0x00] + random.bytes(50)
        #expect(isCorrupt(inflateFailure(body)))
        #expect(inflateFailure(Gzip.deflate(Array("ok".utf8)) + [0x1F, 0x8B]) == .corrupt("truncated stream"))
    }

    @Test func randomBytesAreCorrupt() {
        var random = XorShift(state: 7)
        for _ in 0..<50 {
            var bytes = random.bytes(Int(random.next() % 500) + 1)
            if bytes.count > 2, random.next() % 2 == 0 {
                bytes[0] = 0x1F  // a plausible header, then noise
                bytes[1] = 0x8B
                bytes[2] = 0x08
            }
            #expect(isCorrupt(inflateFailure(bytes)))
        }
    }
}
