namespace Tongban.Payouts;

public static class PayoutRegistration
{
    /// <summary>
    /// The monthly run (started by the MonthlyPayout timer, driven by its orchestration, rebuilt by its reconciler), bank
    /// files and return files, and the hooks review and stop commands call. Payouts:ChunkSize (default 50,000
    /// applications per transaction) is read when first needed, so settings a host or test adds later still count.
    /// </summary>
    public static IServiceCollection AddPayouts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new PayoutOptions(configuration.GetValue("Payouts:ChunkSize", 50_000) is var size and >= 1
            ? size
            : throw new InvalidOperationException("Payouts:ChunkSize must be at least 1.")));
        services.AddSingleton<PayoutRuns>();
        services.AddSingleton<PayoutRunReconciler>();
        services.AddSingleton<PaymentFiles>();
        services.AddSingleton<BankReturns>();
        services.AddSingleton<ClaimPayouts>();
        return services;
    }
}
