import Fluent
import Foundation
import Logging
import PagerDutyKit
import Vapor

/// The composition root: every part the app is made of, built once at boot by `configure`,
/// and the one place each service is assembled from the parts it uses. Requests reach it as
/// `req.services`; background jobs and commands as `app.services`.
package final class AppServices: Sendable {
    package let config: AppConfig
    package let clock: any AppClock
    let secrets: SecretBox
    let outbound: OutboundTargetPolicy
    let pagerDutyTransport: any HTTPTransport
    let webhookTransport: any HTTPTransport
    let slackTransport: any HTTPTransport
    let passwords: any PasswordHashing
    /// API tokens already checked, by digest, for 10 seconds.
    let tokenCache: ReadCache<AuthenticatedToken>
    /// Public rotations' on-duty answers, for 5 seconds: the hottest read of the API.
    let dutyCache: ReadCache<RotationDuty.Reader>
    /// OAuth token providers, one per stored grant, so every caller refreshes through one.
    let oauthProviders: OAuthProviderCache
    let changeFeed: ChangeFeed
    let signInThrottle: SignInThrottle
    /// Rows background jobs skip because they cannot be read (each logged once).
    let unreadable: UnreadableRecords
    /// This instance, as lease holder and work claimant.
    package let instanceID: String
    /// The database outside a request: jobs and commands.
    private let database: @Sendable () -> any Database

    init(config: AppConfig, parts: AppParts, secrets: SecretBox, passwords: any PasswordHashing, database: @escaping @Sendable () -> any Database) {
        self.config = config
        clock = parts.clock
        self.secrets = secrets
        var outbound = OutboundTargetPolicy(allowHTTPHosts: config.allowHTTPHosts, allowPrivateTargets: config.allowPrivateTargets,
                                            customAPIHosts: config.customAPIHosts)
        outbound.resolver = parts.hostResolver
        self.outbound = outbound
        pagerDutyTransport = parts.pagerDutyTransport
        webhookTransport = parts.webhookTransport
        slackTransport = parts.slackTransport
        self.passwords = passwords
        tokenCache = ReadCache(ttl: 10)
        dutyCache = ReadCache(ttl: 5)
        oauthProviders = OAuthProviderCache()
        changeFeed = ChangeFeed()
        signInThrottle = SignInThrottle(attemptsPerMinute: config.loginAttemptsPerMinute)
        unreadable = UnreadableRecords(logger: Logger(label: "shiftbridge.jobs"))
        instanceID = Leases.newHolder()
        self.database = database
    }

    /// A logger for one part of the app, so every line says where it came from.
    package func logger(_ component: String) -> Logger {
        Logger(label: "shiftbridge.\(component)")
    }

    package var db: any Database { database() }

    // MARK: Accounts, people, audit

    func userAccounts(_ db: any Database) -> UserAccounts {
        UserAccounts(db: db, passwords: passwords, tokenCache: tokenCache, clock: clock)
    }

    func apiTokens(_ db: any Database) -> APITokens {
        APITokens(db: db, cache: tokenCache, clock: clock)
    }

    func people(_ db: any Database) -> PeopleDirectory {
        PeopleDirectory(db: db, clock: clock)
    }

    func auditLog(_ db: any Database) -> AuditLog {
        AuditLog(db: db)
    }

    // MARK: Overview

    func overviewReader(_ db: any Database) -> OverviewReader {
        OverviewReader(db: db, clock: clock, directory: rotationDirectory(db), duty: rotationDuty(db), attention: AttentionList(db: db, clock: clock, provisioning: provisioningAttention(db)),
                       audit: auditLog(db))
    }

    // MARK: Rotations

    func rotationDirectory(_ db: any Database) -> RotationDirectory {
        RotationDirectory(db: db)
    }

    func rotationDuty(_ db: any Database) -> RotationDuty {
        RotationDuty(db: db, clock: clock, cache: dutyCache)
    }

    func rotationEditor(_ db: any Database) -> RotationEditor {
        RotationEditor(db: db, clock: clock, directory: rotationDirectory(db), dutyChanges: dutyChanges(),
                       binding: PagerDutyBinding(check: { [self] schedule in try await pagerDutySync(db).checkSources(schedule) },
                                                 sync: { [self] rotation in _ = await pagerDutySync(db).sync(rotation) }))
    }

    func rotationSecrets(_ db: any Database) -> RotationSecrets {
        RotationSecrets(db: db, clock: clock, directory: rotationDirectory(db))
    }

    func rotationHandoffs(_ db: any Database) -> RotationHandoffs {
        RotationHandoffs(db: db, clock: clock, dutyChanges: dutyChanges(), unreadable: unreadable)
    }

    func dutyChanges() -> DutyChanges {
        DutyChanges(slack: SlackOutbox(duty: { [self] db in rotationDuty(db) }))
    }

    // MARK: PagerDuty

    func pagerDutyClients(_ db: any Database) -> PagerDutyClients {
        PagerDutyClients(db: db, clock: clock, secrets: secrets, transport: pagerDutyTransport, policy: outbound, providers: oauthProviders,
                         logger: logger("pagerduty"))
    }

    /// Links that leave the app, from `SHIFTBRIDGE_PUBLIC_URL`.
    var links: PublicLinks { PublicLinks(base: config.publicURL) }

    func oauthAttempts(_ db: any Database) -> OAuthAttempts {
        OAuthAttempts(db: db, clock: clock, secrets: secrets)
    }

    func pagerDutyConnector(_ db: any Database) -> PagerDutyConnector {
        PagerDutyConnector(db: db, clock: clock, secrets: secrets, clients: pagerDutyClients(db), policy: outbound, attempts: oauthAttempts(db),
                           onDisconnect: { db, actor, at in try await RotationEditor.revertPagerDutyBound(on: db, actor: actor, at: at) })
    }

    func pagerDutySync(_ db: any Database) -> PagerDutyRotationSync {
        PagerDutyRotationSync(db: db, clock: clock, clients: pagerDutyClients(db), changeFeed: changeFeed, dutyChanges: dutyChanges(),
                              logger: logger("pagerduty-sync"))
    }

    func rotationSyncPass(_ db: any Database) -> RotationSyncPass {
        RotationSyncPass(db: db, clock: clock, sync: pagerDutySync(db), clients: pagerDutyClients(db), changeFeed: changeFeed,
                         unreadable: unreadable, logger: logger("pagerduty-sync"))
    }

    func tokenRefresher(_ db: any Database) -> TokenRefresher {
        TokenRefresher(db: db, clock: clock, clients: pagerDutyClients(db), logger: logger("pagerduty-oauth"))
    }

    // MARK: Webhooks

    func webhookRegistry(_ db: any Database) -> WebhookRegistry {
        WebhookRegistry(db: db, clock: clock, secrets: secrets, policy: outbound)
    }

    func webhookSender(_ db: any Database) -> WebhookSender {
        WebhookSender(db: db, clock: clock, secrets: secrets, transport: webhookTransport, policy: outbound, logger: logger("webhooks"))
    }

    // MARK: Slack

    func slackClients(_ db: any Database) -> SlackClients {
        SlackClients(db: db, secrets: secrets, transport: slackTransport, policy: outbound, logger: logger("slack"))
    }

    func slackDirectory(_ db: any Database) -> SlackDirectory {
        SlackDirectory(db: db, clock: clock, clients: slackClients(db), logger: logger("slack"))
    }

    func slackConnector(_ db: any Database) -> SlackConnector {
        SlackConnector(db: db, clock: clock, secrets: secrets, clients: slackClients(db), policy: outbound, directory: slackDirectory(db),
                       attempts: oauthAttempts(db))
    }

    func slackOutputSettings(_ db: any Database) -> SlackOutputSettings {
        SlackOutputSettings(db: db, clock: clock, clients: slackClients(db), duty: rotationDuty(db))
    }

    func slackDelivery(_ db: any Database) -> SlackDelivery {
        SlackDelivery(db: db, clock: clock, clients: slackClients(db), directory: slackDirectory(db), duty: rotationDuty(db),
                      connector: slackConnector(db), unreadable: unreadable, logger: logger("slack"))
    }

    func slackCommands(_ db: any Database) -> SlackCommands {
        SlackCommands(db: db, clock: clock, secrets: secrets, directory: rotationDirectory(db), duty: rotationDuty(db), editor: rotationEditor(db))
    }

    // MARK: Provisioning

    func provisioningConfiguration(_ db: any Database) -> ProvisioningConfiguration {
        ProvisioningConfiguration(db: db, clock: clock)
    }

    func employeeImporter(_ db: any Database) -> EmployeeImporter {
        EmployeeImporter(db: db, clock: clock, configuration: provisioningConfiguration(db), dutyCache: dutyCache)
    }

    func provisioningRuns(_ db: any Database) -> ProvisioningRuns {
        ProvisioningRuns(db: db, clock: clock, clients: pagerDutyClients(db), configuration: provisioningConfiguration(db), importer: employeeImporter(db))
    }

    func provisioningApplier(_ db: any Database) -> ProvisioningApplier {
        ProvisioningApplier(db: db, clock: clock, clients: pagerDutyClients(db), runs: provisioningRuns(db), logger: logger("provisioning"))
    }

    // MARK: Identity sources

    func scimTokens(_ db: any Database) -> SCIMTokens {
        SCIMTokens(db: db, clock: clock, links: links)
    }

    func hrSources(_ db: any Database) -> HRSources {
        HRSources(db: db, clock: clock, secrets: secrets, fetcher: HRSourceFetcher(transport: webhookTransport, policy: outbound),
                  importer: employeeImporter(db), runs: provisioningRuns(db), dropRoots: config.hrDropRoots, unreadable: unreadable,
                  logger: logger("hr-sources"))
    }

    func provisioningAttention(_ db: any Database) -> ProvisioningAttention {
        ProvisioningAttention(db: db, clock: clock, configuration: provisioningConfiguration(db))
    }

    func scimDirectory(_ db: any Database) -> SCIMDirectory {
        SCIMDirectory(db: db, clock: clock, dutyCache: dutyCache, runs: provisioningRuns(db))
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = AppServices }

    /// The composition root, set by `configure`.
    package var services: AppServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:config:parts:) has not run") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var services: AppServices { application.services }
}
