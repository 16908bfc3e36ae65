import MedLedgerClient
import Testing

@Suite struct ServerSentEventParserTests {
    @Test func eventsSplitAcrossChunksCommentsAndMultilineData() throws {
        var parser = ServerSentEventParser()
        let text = "retry: 3000\n\n: keep-alive\n\nid: 1.0.0\nevent: access\ndata: {\"a\":\n"
        #expect(try parser.feed(Array(text.utf8)).isEmpty)
        let rest = try parser.feed(Array("data: 1}\r\n\r\nid: 1.0.1\ndata:x\n\n".utf8))
        #expect(
            rest == [
                ServerSentEvent(id: "1.0.0", type: "access", data: "{\"a\":\n1}"),
                ServerSentEvent(id: "1.0.1", type: "message", data: "x"),
            ])
    }

    @Test func oversizedLinesAndEventsAreRefused() throws {
        var lines = ServerSentEventParser(maxLineBytes: 16, maxEventBytes: 64)
        #expect(throws: ServerSentEventParser.Oversized.self) {
            try lines.feed(Array(repeating: UInt8(ascii: "a"), count: 17))
        }
        var events = ServerSentEventParser(maxLineBytes: 16, maxEventBytes: 20)
        #expect(throws: ServerSentEventParser.Oversized.self) {
            for _ in 0..<4 { _ = try events.feed(Array("data: 0123456789\n".utf8)) }
        }
    }
}
