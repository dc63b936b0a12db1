import Fluent

/// Every migration, in order. Names are numbered; never rename or reorder a shipped one.
enum AppMigrations {
    static let all: [any Migration] = [
        CreateUsers(),
        CreateAPITokens(),
        CreateAuditEvents(),
        SessionRecord.migration,
        CreatePagerDutyConnections(),
        CreateOAuthAttempts(),
        CreatePeople(),
        CreateRotations(),
        CreateRotationSyncs(),
        CreateRotationSecrets(),
        CreateWebhooks(),
        IndexAuditEventsByTarget(),
        CreateProvisioning(),
        AccountsAndAuditScopes(),
        RotationScheduleAsOneValue(),
        AddWorkClaims(),
        CreateSlack(),
        AddUserTimeZone(),
        CreateRequestBudgets(),
        CreateSCIM(),
        CreateHRSources(),
        GuardSlackDelivery(),
        TypedDutyMembers(),
        AddImportOrigin(),
        AddSyncAttemptedAt(),
    ]
}
