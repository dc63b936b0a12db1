import Foundation

/// What a password must be: long, not blank, not a repeated pattern, not the email, and not
/// one of the choices password lists try first.
enum PasswordPolicy {
    static let minimumLength = 12
    /// Bcrypt reads 72 bytes; a longer passphrase would be partly ignored.
    static let maximumBytes = 72

    /// Nil when acceptable, else what to change.
    static func problem(with password: String, email: String) -> String? {
        let visible = password.filter { !$0.isWhitespace }
        if visible.count < minimumLength {
            return "The password must be at least \(minimumLength) characters long, not counting spaces."
        }
        if password.utf8.count > maximumBytes {
            return "The password must be at most \(maximumBytes) bytes long (about \(maximumBytes) letters)."
        }
        if Set(visible.lowercased()).count < 5 || isRepeated(visible.lowercased()) {
            return "The password repeats a few characters; use a longer phrase of different words."
        }
        let lowered = password.lowercased()
        let email = email.lowercased()
        let local = email.split(separator: "@").first.map(String.init) ?? email
        if !email.isEmpty && (lowered.contains(email) || (local.count >= 4 && lowered.filter(\.isLetter) == local.filter(\.isLetter))) {
            return "The password must not be your email address."
        }
        if isCommon(lowered) {
            return "That password is one of the first a guesser tries; choose another, such as a phrase of four unrelated words."
        }
        return nil
    }

    /// "abcabcabcabc", "121212121212": a short pattern over and over.
    static func isRepeated(_ text: String) -> Bool {
        let characters = Array(text)
        for length in 1...4 {
            let pattern = characters.prefix(length)
            if characters.indices.allSatisfy({ characters[$0] == pattern[pattern.startIndex + $0 % length] }) { return true }
        }
        return false
    }

    static func isCommon(_ lowered: String) -> Bool {
        let letters = lowered.filter(\.isLetter)
        if letters.isEmpty {
            // Only digits and symbols: refuse runs such as 123456789012 or 098765432109.
            let digits = lowered.compactMap(\.wholeNumberValue)
            let steps = zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 }
            return Set(steps).count <= 1
        }
        // A common word (or a keyboard row), possibly repeated, dressed up with digits and symbols.
        for word in commonWords where letters.count >= word.count && letters.count % word.count == 0 {
            if letters == String(repeating: word, count: letters.count / word.count) { return true }
        }
        return keyboardRuns.contains { $0.contains(letters) && letters.count >= 6 }
    }

    static let commonWords = [
        "password", "passw", "qwerty", "letmein", "welcome", "admin", "administrator", "iloveyou", "monkey", "dragon", "football",
        "baseball", "sunshine", "princess", "changeme", "trustno", "master", "superman", "batman", "secret", "shiftbridge",
        "pagerduty", "oncall", "login", "abc", "test", "user", "default", "summer", "winter", "spring", "autumn",
    ]

    static let keyboardRuns = ["qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz", "azertyuiopqsdfghjklmwxcvbn", "qwertzuiopasdfghjklyxcvbnm"]
}
