import Foundation
import ShiftbridgeCore
#if canImport(Glibc)
import Glibc
#endif

/// A drop folder on disk, held inside itself: every path a run reads, moves to or writes is
/// resolved and checked first. The folder must still lead inside one of the HR drop roots at
/// each run (a link swapped in after it was saved leads nowhere); `processed/` and
/// `rejected/` must be folders inside it; a dropped file must be a file (a link is not
/// followed, and is set aside with the reason); files are opened without following links and
/// read up to `maxFileBytes`, never further.
struct DropFolderAccess {
    let folder: String
    let roots: [String]
    let maxFileBytes: Int

    /// Why a path was refused: said in the source's last message.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// A dropped file: its bytes, or why it is not read.
    enum Read {
        case data(Data)
        case refused(String)
    }

    /// The folder's real path, inside a root.
    func resolvedFolder() throws -> String {
        guard let real = Self.realPath(folder) else { throw Refusal(description: "Cannot read the folder \(folder): it does not exist or is not reachable") }
        let realRoots = roots.compactMap(Self.realPath)
        guard realRoots.contains(where: { Self.isInside(real, $0) }) else {
            throw Refusal(description: "The folder \(folder) leads to \(real), outside the folders HR drops may use (\(roots.joined(separator: ", "))): nothing was read or moved")
        }
        return real
    }

    /// `name` (processed or rejected) inside the folder, made as a plain folder when missing.
    /// A link is followed only while it stays inside the folder.
    func subfolder(_ name: String, in real: String) throws -> String {
        let path = real + "/" + name
        var info = stat()
        if lstat(path, &info) != 0 {
            guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
                throw Refusal(description: "Cannot make \(name)/ in \(folder): \(String(cString: strerror(errno)))")
            }
        }
        guard let target = Self.realPath(path), Self.isInside(target, real) else {
            throw Refusal(description: "\(name)/ in \(folder) is a link that leads outside the folder: make it a plain folder; nothing was moved")
        }
        var resolved = stat()
        guard stat(target, &resolved) == 0, resolved.st_mode & S_IFMT == S_IFDIR else {
            throw Refusal(description: "\(name)/ in \(folder) is not a folder: remove it or make it one; nothing was moved")
        }
        return target
    }

    /// The entries of the folder that are files or links (never followed), with sizes and times.
    func listing(_ real: String) throws -> [DropFolder.File] {
        try FileManager.default.contentsOfDirectory(atPath: real).compactMap { name in
            var info = stat()
            guard lstat(real + "/" + name, &info) == 0 else { return nil }
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK else { return nil }
            return DropFolder.File(name: name, size: Int(info.st_size), modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
        }
    }

    /// A dropped file's bytes: a regular file only (opened without following a link), at most
    /// `maxFileBytes`.
    func read(_ name: String, in real: String) -> Read {
        let path = real + "/" + name
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .refused(errno == ELOOP ? "\(name) is a link: links are not followed; drop the file itself" : "\(name) could not be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .refused("\(name) is not a regular file") }
        guard Int(info.st_size) <= maxFileBytes else {
            return .refused("\(name) is \(Int(info.st_size) >> 20) MB; files over \(maxFileBytes >> 20) MB are not read (the upload limit)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 { return .refused("\(name) could not be read: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            // Grown past the limit while being read: not a file to import.
            if data.count > maxFileBytes { return .refused("\(name) is over \(maxFileBytes >> 20) MB; files over that are not read (the upload limit)") }
        }
        return .data(data)
    }

    /// Moves `name` (a link is moved as the link) into `subfolder`, never over anything there.
    func move(_ name: String, in real: String, to subfolder: String, stamp: Int) throws -> String {
        var target = subfolder + "/" + name
        var info = stat()
        if lstat(target, &info) == 0 { target = subfolder + "/\(stamp)-" + name }
        guard lstat(target, &info) != 0 else { throw Refusal(description: "\(name) could not be moved: \(target) is taken") }
        guard rename(real + "/" + name, target) == 0 else {
            throw Refusal(description: "\(name) could not be moved to \(subfolder): \(String(cString: strerror(errno)))")
        }
        return (target as NSString).lastPathComponent
    }

    /// Writes a new file `name` in `subfolder` (never through a link, never over a file).
    func write(_ text: String, named name: String, in subfolder: String) throws {
        let descriptor = open(subfolder + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw Refusal(description: "\(name) could not be written in \(subfolder): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Refusal(description: "\(name) could not be written in \(subfolder)") }
            written += count
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
