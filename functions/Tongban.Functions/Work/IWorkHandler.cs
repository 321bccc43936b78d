namespace Tongban.Work;

/// <summary>
/// Runs one kind of work item. Delivery is at-least-once, so a handler is idempotent, and it ends by
/// calling <see cref="WorkItems.CompleteAsync"/> in the transaction that commits its effect.
/// </summary>
public interface IWorkHandler
{
    string Kind { get; }
    Task HandleAsync(WorkItem item, CancellationToken ct);
}
