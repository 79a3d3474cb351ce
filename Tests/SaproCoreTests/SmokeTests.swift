import Testing
@testable import SaproCore

@Test func versionIsSemantic() {
    #expect(SaproCore.version.split(separator: ".").count == 3)
}
