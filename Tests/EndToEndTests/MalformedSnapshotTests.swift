import Foundation
import Testing

/// A malformed push is refused whole, says where it went wrong, and leaves the store untouched.
@Suite struct MalformedSnapshotTests {
    @Test(arguments: MalformedSnapshotCase.all)
    func refusedWithItsLocationAndNothingStored(_ malformed: MalformedSnapshotCase) async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db", arguments: malformed.receiverArguments)
        let now = CaptureTime.now()
        // Something stored first, so "unchanged" covers rows and not just an empty schema.
        let baseline = try await Curl.push(
            receiver.url("/stats"), CSVBody([("abc", "s", 1, "ok"), ("zzz", "z", 9, "Zed, \"quoted\"")]).text,
            headers: [CaptureTime.header(now - 120)])
        try #require(baseline.status == 200, "\(baseline.summary)")
        let before = try await receiver.store.dump()

        var headers = malformed.headers
        if let offset = malformed.capturedAtOffset { headers.append(CaptureTime.header(now + offset)) }
        let answer = try await Curl.push(receiver.url("/stats"), Data(malformed.body), headers: headers)

        #expect(answer.status == malformed.status, "\(answer.summary)")
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(answer.headers)")
        #expect(answer.errorLocation == malformed.location, "\(answer.summary)")
        #expect(answer.errorMessage.contains(malformed.word), "\(answer.summary)")
        expectSame(try await receiver.store.dump(), before, "the store changed")
        // The refusal is logged like any request.
        let logged = try await receiver.waitForLine(containing: "POST /stats \(malformed.status) ")
        #expect(logged != nil, "\(receiver.log)")
    }
}
