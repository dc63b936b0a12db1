import Foundation

/// A benchmark's figure, written at once (standard output is buffered when it is a file).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
