using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Notifications;

public sealed class NotificationFunctions(SmsDelivery sms, HttpFunctions http)
{
    /// <summary>
    /// Every ten seconds: SMS queued over ten seconds ago and still not sent — payment SMS from the payout runs, and any
    /// whose claim orchestration stopped before delivering them. The query reads an index of unsent messages only.
    /// </summary>
    [Function(nameof(DeliverQueuedSms))]
    public Task DeliverQueuedSms([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken ct) =>
        sms.DeliverQueuedAsync(TimeSpan.FromSeconds(10), 1000, ct);

    [Function(nameof(ListNotifications))]
    public Task<IResult> ListNotifications([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/notifications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ApplicationNotifications))]
    public Task<IResult> ApplicationNotifications([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}/notifications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ReceiveSmsDeliveryReports))]
    public Task<IResult> ReceiveSmsDeliveryReports([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/sms/delivery-reports")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListUndeliveredSms))]
    public Task<IResult> ListUndeliveredSms([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/undelivered")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
