import Foundation

/// Where and how the mirror writes: InfluxDB 1.x (database, retention policy, user) or 2.x
/// (organisation, bucket, token).
public struct MirrorConfiguration: Sendable {
    public enum API: Sendable, Equatable {
        case v1(database: String, retentionPolicy: String?, user: String?, password: String?)
        case v2(organization: String, bucket: String, token: String)
    }

    /// Which rows of a snapshot become points.
    public enum Mode: String, Sendable, CaseIterable {
        /// Every row of every snapshot, as the old receiver wrote.
        case all
        /// Only the rows whose count or name changed at that snapshot.
        case changed
    }

    /// `http(s)://host:8086`, maybe with a path prefix.
    public var url: String
    public var api: API
    public var mode: Mode = .all
    /// Points per request; InfluxDB advises 5,000–10,000, larger bodies go fine on a LAN.
    public var batchLines = 20_000
    /// Write requests sent at the same time.
    public var requestsInFlight = 2
    /// gzip request bodies (worth it over a slow link, not on loopback).
    public var gzip = false
    /// Gives up on one request after this many seconds (then retries with backoff).
    public var timeout: Double = 30
    /// How often an idle sender looks for new snapshots (seconds).
    public var pollInterval: Double = 0.2
    public var backoff = Backoff()

    public init(url: String, api: API) {
        self.url = url
        self.api = api
    }

    /// The blog tag of a blog's points: none for `default`, so a single-blog setup writes
    /// exactly the old schema.
    public static func blogTag(_ blog: String) -> String? { blog == "default" ? nil : blog }

    /// The write endpoint's path and query.
    var write: (path: String, query: [(String, String)]) {
        switch api {
        case .v1(let database, let retentionPolicy, _, _):
            var query = [("db", database)]
            if let retentionPolicy { query.append(("rp", retentionPolicy)) }
            query.append(("precision", "s"))
            return ("/write", query)
        case .v2(let organization, let bucket, _):
            return ("/api/v2/write", [("org", organization), ("bucket", bucket), ("precision", "s")])
        }
    }

    /// Credentials as a header (Basic for 1.x with a user, Token for 2.x).
    var authorization: String? {
        switch api {
        case .v1(_, _, let user?, let password):
            return "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        case .v1: return nil
        case .v2(_, _, let token): return "Token \(token)"
        }
    }

    /// For logs and /healthz: where points go, without secrets.
    public var target: String {
        switch api {
        case .v1(let database, let retentionPolicy, _, _):
            "\(url) db \(database)" + (retentionPolicy.map { " rp \($0)" } ?? "")
        case .v2(let organization, let bucket, _): "\(url) org \(organization) bucket \(bucket)"
        }
    }
}
