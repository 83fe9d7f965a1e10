/// A PEM certificate (chain) and its PEM private key for serving HTTPS.
public struct TLSConfiguration: Sendable, Hashable {
    public var certificatePEM: String
    public var keyPEM: String

    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}
