import Vapor

/// `GET|PUT /api/v1/rotations/{id}/outputs/slack` (contract). Whoever may see a rotation
/// reads its outputs; its owners and administrators change them.
struct SlackOutputsAPIController {
    func boot(api: any RoutesBuilder) {
        let outputs = api.grouped("rotations", ":rotation", "outputs", "slack")
        outputs.get(use: show)
        outputs.put(use: save)
    }

    func show(req: Request) async throws -> SlackOutputsDTO {
        try await req.services.slackOutputSettings(req.db).get(try await find(req))
    }

    func save(req: Request) async throws -> SlackOutputsDTO {
        let user = try req.requireUser()
        let rotation = try await find(req)
        try await req.services.rotationDirectory(req.db).requireEditor(rotation, user)
        return try await req.services.slackOutputSettings(req.db).save(rotation, try req.content.decode(SlackOutputsInput.self), editor: .init(user))
    }

    private func find(_ req: Request) async throws -> Rotation {
        try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: try req.requireUser())
    }
}
