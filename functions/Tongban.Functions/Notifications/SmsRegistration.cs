using System.Text.RegularExpressions;
using Azure.Identity;
using Tongban.Hosting;

namespace Tongban.Notifications;

/// <summary>
/// How SMS delivery behaves, read once from configuration: <see cref="RetryAfter"/> (<c>Sms:RetryAfterSeconds</c>, 120:
/// longer than a gateway call may take) is how long a message claimed for sending stays claimed before another deliverer
/// sends it again, and twice it how long a delivery report may overtake its message's id; <see cref="UndeliveredAfter"/>
/// (<c>Sms:UndeliveredAfterMinutes</c>, 60) is how long a sent message waits for its delivery report before staff see it
/// as undelivered; <see cref="DeliveryReportKey"/> (<c>Sms:DeliveryReportKey</c>) is the delivery-report webhook's shared
/// secret, none: the endpoint refuses every call.
/// </summary>
public sealed record SmsOptions(TimeSpan RetryAfter, TimeSpan UndeliveredAfter, string? DeliveryReportKey)
{
    public static SmsOptions From(IConfiguration configuration) => new(
        TimeSpan.FromSeconds(configuration.GetValue("Sms:RetryAfterSeconds", 120) is var retry and >= 1 ? retry
            : throw new InvalidOperationException("Sms:RetryAfterSeconds must be at least 1.")),
        TimeSpan.FromMinutes(configuration.GetValue("Sms:UndeliveredAfterMinutes", 60) is var undelivered and >= 1 ? undelivered
            : throw new InvalidOperationException("Sms:UndeliveredAfterMinutes must be at least 1.")),
        configuration["Sms:DeliveryReportKey"] is { Length: > 0 } key ? key : null);
}

public static class SmsRegistration
{
    /// <summary>
    /// Sms:Provider picks the gateway: <c>local</c> (default; Sms:OutboxPath, else
    /// data/sms-outbox.jsonl; see <see cref="FunctionsWorker.FilePath"/>) or <c>acs</c> (Sms:AcsEndpoint, Sms:From, and
    /// Sms:AcsAccessKey for access-key signing; without a key, Entra ID).
    /// </summary>
    public static IServiceCollection AddSms(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Settings are checked here, not at the first SMS: a misconfigured gateway stops start-up instead of
        // dead-lettering every notification hours later.
        services.AddSingleton(SmsOptions.From(configuration));
        var provider = (configuration["Sms:Provider"] is { Length: > 0 } name ? name : "local").ToLowerInvariant();
        switch (provider)
        {
            case "local":
                var path = FunctionsWorker.FilePath(configuration, contentRoot, configuration["Sms:OutboxPath"], "data/sms-outbox.jsonl");
                services.AddSingleton<ISmsGateway>(new LocalSmsSink(path));
                return services;
            case "acs":
                var endpoint = Uri.TryCreate(configuration["Sms:AcsEndpoint"], UriKind.Absolute, out var uri)
                    ? uri
                    : throw new InvalidOperationException(
                        "Sms:Provider is acs but Sms:AcsEndpoint is not set to the resource's endpoint (https://<resource>.communication.azure.com/).");
                var from = configuration["Sms:From"] is { Length: > 0 } number && Regex.IsMatch(number, @"^\+[1-9]\d{1,14}$")
                    ? number
                    : throw new InvalidOperationException(
                        "Sms:Provider is acs but Sms:From is not the resource's sender number in E.164 form (e.g. +18005550100).");
                var accessKey = configuration["Sms:AcsAccessKey"];
                if (!string.IsNullOrEmpty(accessKey) && !Convert.TryFromBase64String(accessKey, new byte[accessKey.Length], out _))
                    throw new InvalidOperationException("Sms:AcsAccessKey is not base64: copy the resource's access key as shown, or leave it empty for Entra ID.");
                services.AddSingleton<ISmsGateway>(sp => string.IsNullOrEmpty(accessKey)
                    ? AcsSmsGateway.WithTokenCredential(endpoint, from, new DefaultAzureCredential(), sp.GetRequiredService<TimeProvider>())
                    : AcsSmsGateway.WithAccessKey(endpoint, from, accessKey, sp.GetRequiredService<TimeProvider>()));
                return services;
            default:
                throw new InvalidOperationException($"Sms:Provider '{provider}' is not local or acs.");
        }
    }
}
