using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tongban.Applications;
using Tongban.Archive;
using Tongban.CrossChecks;
using Tongban.Dashboard;
using Tongban.Domain.Province;
using Tongban.Intake;
using Tongban.Notifications;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Province;
using Tongban.Reference;
using Tongban.Registry;
using Tongban.Review;
using Tongban.Security;
using Tongban.Storage;
using Tongban.Hosting.Durable;
using Tongban.Verification;

namespace Tongban.Hosting;

/// <summary>
/// The composition root. Standalone (<c>dotnet run</c>, tests, one server): an ASP.NET Core app serving the API, with
/// the orchestrators and activities on an in-process Durable Task worker and the timer functions on their schedules.
/// Under the Functions host (<see cref="FunctionsWorker"/>) the same services back the same functions.
/// </summary>
public static class TongbanApp
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>Builds the app, migrates the database and seeds demo data where asked; the caller runs it.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(WithoutConfigReload(args));
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            RequestLimits.RaiseCeilings(k.Limits);
        });
        AddStandaloneServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        WarnOfUnpublishedCalendar(app);
        await Migrator.MigrateAsync(app.Services.GetRequiredService<Database>());
        await app.Services.GetRequiredService<RetirementRule>().ApplyPendingAsync(CancellationToken.None);
        if (app.Configuration.GetValue("Demo:Enabled", false))
            await app.Services.GetRequiredService<DemoSeed>().SeedIfEmptyAsync(clock => BuildAt(args, configure, clock), CancellationToken.None);
        UsePipeline(app);
        return app;
    }

    /// <summary>The same app on another clock, never started: the demo seed replays last month with it.</summary>
    private static WebApplication BuildAt(string[] args, Action<WebApplicationBuilder>? configure, TimeProvider clock)
    {
        var builder = WebApplication.CreateBuilder(WithoutConfigReload(args));
        AddServices(builder.Services, builder.Configuration, builder.Environment);
        configure?.Invoke(builder);
        builder.Services.AddSingleton(clock);
        return builder.Build();
    }

    /// <summary>
    /// Settings are read once at start. Reloading appsettings on change would watch the whole content root with inotify
    /// — the SQLite database and its WAL sit under it — and wake on every write.
    /// </summary>
    private static string[] WithoutConfigReload(string[] args) => [.. args, "--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>Deadlines in a year without the State Council notice count Monday–Friday only: operators must know.</summary>
    private static void WarnOfUnpublishedCalendar(WebApplication app)
    {
        var calendar = app.Services.GetRequiredService<ProvinceConfig>().Calendar;
        var today = Domain.Claims.Deadlines.LocalDate(app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        foreach (var year in new[] { today.Year, today.AddDays(30).Year }.Distinct().Where(y => !calendar.IsPublished(y)))
            app.Logger.LogWarning("{Year} 年节假日安排尚未录入（Province/Data/calendar/{Year}.json），审核期限暂按周一至周五计算工作日", year, year);
    }

    /// <summary>
    /// Standalone only: the Durable Task worker and its task hub in process, the timer functions on their schedules
    /// (<c>Durable:InProcess=false</c> leaves both out, as the command-line tools do), and per-portal rate limits.
    /// </summary>
    public static void AddStandaloneServices(WebApplicationBuilder builder)
    {
        AddServices(builder.Services, builder.Configuration, builder.Environment);
        if (!builder.Configuration.GetValue("Durable:InProcess", true)) return;
        builder.Services.AddStandaloneDurable(builder.Configuration);
        builder.Services.AddHostedService<StandaloneTimers>();
    }

    /// <summary>The services both hosts share: storage, rules, capabilities, authentication, problem details.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var contentRoot = environment.ContentRootPath;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton(_ => ProvinceLoader.Load(configuration["Province:Name"] ?? "hainan"));
        services.AddSingleton(_ => Database.FromConfiguration(configuration, contentRoot));
        services.AddSingleton(_ => PersonalDataProtector.FromConfiguration(configuration, environment.IsDevelopment(), contentRoot));
        services.AddSingleton<ClaimStore>();
        services.AddSingleton<RegistryStore>();
        services.AddSingleton<RegistryImport>();
        services.AddSingleton<ReviewCommands>();
        services.AddSingleton<DemoSeed>();
        services.AddSingleton<ClaimFactsLoader>();
        services.AddSingleton<ClaimVerification>();
        services.AddSingleton<VerificationBatches>();
        services.AddHostedService(sp => sp.GetRequiredService<VerificationBatches>());
        services.AddSingleton<DeadlineAlerts>();
        services.AddSingleton<SmsDelivery>();
        services.AddSingleton<CaseArchive>();
        services.AddSingleton<WorkflowReconciler>();
        services.AddSingleton<RetirementRule>();
        services.AddSingleton<HttpFunctions>();
        services.AddSms(configuration, contentRoot);
        services.AddArchive(configuration, contentRoot);
        services.AddSingleton<RecipientExport>();
        services.AddSingleton(Outreach.OutreachOptions.From(configuration));
        services.AddSingleton<Outreach.OutreachCampaigns>();
        services.AddSingleton(_ => new CrossCheckOptions(
            configuration.GetValue("CrossChecks:DecisionWorkingDays", 10) is var decide and >= 1 ? decide
                : throw new InvalidOperationException("CrossChecks:DecisionWorkingDays must be at least 1."),
            configuration.GetValue("CrossChecks:ContestWorkingDays", 10) is var contest and >= 1 ? contest
                : throw new InvalidOperationException("CrossChecks:ContestWorkingDays must be at least 1.")));
        services.AddSingleton<CrossCheckMatches>();
        services.AddSingleton<CrossCheckImport>();
        services.AddSingleton<CrossCheckReconciler>();
        services.AddPayouts(configuration);

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PortalKeyAuthentication>(Principals.PortalScheme, null)
            .AddScheme<AuthenticationSchemeOptions, StaffTokenAuthentication>(Principals.StaffScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Principals.PortalPolicy, p => p.AddAuthenticationSchemes(Principals.PortalScheme).RequireAuthenticatedUser())
            .AddPolicy(Principals.StaffPolicy, p => p.AddAuthenticationSchemes(Principals.StaffScheme).RequireAuthenticatedUser())
            .AddPolicy(Principals.AdministratorPolicy, p => p.AddAuthenticationSchemes(Principals.StaffScheme)
                .RequireRole(Domain.Claims.StaffRole.Administrator.RoleCode()))
            .AddPolicy(Principals.PortalOrStaffPolicy, p => p.AddAuthenticationSchemes(Principals.PortalScheme, Principals.StaffScheme)
                .RequireAuthenticatedUser());

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(Problems.Of(429, "Too many requests", "This client is over its rate limit; retry later.")
                    .ExecuteAsync(context.HttpContext));
            };
            var perSecond = configuration.GetValue("RateLimit:PortalPerSecond", 2000);
            options.AddPolicy(Principals.PortalPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers["X-Api-Key"].ToString()))),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                }));
            // Guessing one account's password is stopped per account (LoginThrottle); this bounds the slow password hash
            // an address can ask for, with room for a whole office signing in behind one address.
            options.AddPolicy(Principals.LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 300, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>().AddSchemaTransformer<OpenApiProblems>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(Problems.StatusCodePageAsync);
        app.UseRequestId();
        app.UseRequestLimits();
        app.UseStaffConsole();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        MapApi(app);
    }

    /// <summary>
    /// Every route of the contract, each named after the HTTP function that serves it under the Functions host
    /// (<see cref="HttpFunctions"/>).
    /// </summary>
    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").WithName("OpenApiDocument");
        app.MapHealthChecks("/health", new HealthCheckOptions { ResultStatusCodes = { [HealthStatus.Unhealthy] = 503 } })
            .WithMetadata(new HttpMethodMetadata(["GET"])).WithName("Health");
        // An application id in a route is taken in any case, and one that is no GUID is a 404 that does not repeat it.
        var api = app.MapGroup("/api/v1").NormalisingApplicationIds();
        AuthEndpoints.Map(api);
        ReferenceEndpoints.Map(api);
        SubmitApplication.Map(api);
        ApplicationViews.Map(api);
        ContributionSpells.Map(api);
        RevealPersonalData.Map(api);
        ApplicationLookup.Map(api);
        Supervision.SupervisionEndpoints.Map(api);
        Supervision.ReassignCase.Map(api);
        ReviewEndpoints.Map(api);
        ReportEvent.Map(api);
        DeathReportPayee.Map(api);
        RegistryEndpoints.Map(api);
        NotificationEndpoints.Map(api);
        DeliveryReports.Map(api);
        UndeliveredMessages.Map(api);
        Outreach.OutreachEndpoints.Map(api);
        RecipientExport.Map(api);
        CrossCheckEndpoints.Map(api);
        PayoutEndpoints.Map(api);
        WorkflowEndpoints.Map(api);
        DashboardEndpoints.Map(api);
    }
}

public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
