using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Tongban.Hosting;

/// <summary>
/// The app's <c>[Function]</c> methods, read by reflection. Under the Functions host the worker SDK's generated
/// metadata lists them; standalone, the same methods are registered with the in-process Durable Task worker
/// (orchestrators, activities) and run on their CRON schedules (timers), so both hosts run one codebase.
/// </summary>
public static class FunctionCatalog
{
    public sealed record Function(string Name, MethodInfo Method, ParameterInfo Trigger);

    public static IReadOnlyList<Function> All { get; } = typeof(FunctionCatalog).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .Select(m => new Function(m.GetCustomAttribute<FunctionAttribute>()!.Name, m,
            m.GetParameters().Single(p => p.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal)))))
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<Function> With<TTrigger>() where TTrigger : Attribute =>
        All.Where(f => f.Trigger.GetCustomAttribute<TTrigger>() is not null);

    /// <summary>Every orchestrator and activity function, registered with a standalone Durable Task worker.</summary>
    public static void RegisterDurableTasks(DurableTaskRegistry registry)
    {
        foreach (var function in With<OrchestrationTriggerAttribute>())
            registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function));
        foreach (var function in With<ActivityTriggerAttribute>())
            registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
    }

    /// <summary>Calls a function method the way the host would: the trigger value, then DI for the rest.</summary>
    public static async Task<object?> InvokeAsync(Function function, IServiceProvider services, object? trigger, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var method = function.Method;
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        var args = method.GetParameters().Select(p =>
            p.Position == function.Trigger.Position ? trigger
            : p.ParameterType == typeof(CancellationToken) ? ct
            : p.ParameterType == typeof(DurableTaskClient) ? scope.ServiceProvider.GetRequiredService<DurableTaskClient>()
            : scope.ServiceProvider.GetRequiredService(p.ParameterType)).ToArray();
        return await ResultAsync(method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null));
    }

    /// <summary>What a function method returned, awaited when it is a task: its result, or null for a plain Task.</summary>
    private static async Task<object?> ResultAsync(object? returned)
    {
        if (returned is not Task task) return returned;
        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }

    private static Type ResultType(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : typeof(object);

    private sealed class FunctionOrchestrator(Function function) : ITaskOrchestrator
    {
        // The standalone worker hands GetInput<T> the input as deserialized into this type.
        public Type InputType => function.Method.GetCustomAttribute<OrchestratorInputAttribute>()?.Type ?? typeof(object);
        public Type OutputType => ResultType(function.Method);

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            // Orchestrators are static and take only their context; they read their input with GetInput<T>.
            return await ResultAsync(function.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [context], null));
        }
    }

    private sealed class FunctionActivity(Function function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.Trigger.ParameterType;
        public Type OutputType => ResultType(function.Method);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
            InvokeAsync(function, services, input, CancellationToken.None);
    }
}

/// <summary>
/// The type an orchestrator function reads with <c>GetInput&lt;T&gt;()</c>. The Functions host deserializes it on
/// request; the standalone worker deserializes it up front, so it must be told.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OrchestratorInputAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}
