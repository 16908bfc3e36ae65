/// A strict reader of Prometheus text exposition (format 0.0.4), so tests check that
/// `/metrics` parses the way a scraper reads it, not only that it contains some substring.
struct PrometheusExposition {
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every sample, in order.
    let samples: [Sample]
    /// Each metric family's declared type (`counter`, `gauge`, `histogram`, ...).
    let types: [String: String]

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(description: "no final newline") }
        var samples = [Sample]()
        var types = [String: String]()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, Self.isName(parts[2]), types[String(parts[2])] == nil else {
                    throw ParseError(description: "bad or repeated TYPE line: \(line)")
                }
                types[String(parts[2])] = String(parts[3])
            } else if line.hasPrefix("#") {
                continue
            } else {
                let sample = try Self.sample(Substring(line))
                guard types[sample.name] != nil || types[Self.family(of: sample.name)] != nil else {
                    throw ParseError(description: "sample before its TYPE line: \(line)")
                }
                samples.append(sample)
            }
        }
        self.samples = samples
        self.types = types
    }

    /// The value of the one sample with this name and exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" || first == ":" else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }
    }

    /// A histogram's samples are named after their family with a suffix.
    static func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// `name{label="value",...} value`; label values here never hold quotes or commas.
    static func sample(_ line: Substring) throws -> Sample {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            throw ParseError(description: "no value: \(line)")
        }
        let head = line[..<space]
        var labels = [String: String]()
        let name: Substring
        if let brace = head.firstIndex(of: "{") {
            guard head.hasSuffix("}") else { throw ParseError(description: "unclosed labels: \(line)") }
            name = head[..<brace]
            for pair in head[head.index(after: brace)..<head.index(before: head.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, isName(parts[0]), parts[1].count >= 2, parts[1].hasPrefix("\""),
                    parts[1].hasSuffix("\"")
                else { throw ParseError(description: "bad label \(pair) in \(line)") }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
        } else {
            name = head
        }
        guard isName(name) else { throw ParseError(description: "bad metric name: \(line)") }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
