namespace Tongban.Domain.Claims;

/// <summary>Events that end benefit (失业保险条例 art. 15; 社会保险法 art. 51), reported at any office (就近报告).</summary>
public static class StopEvents
{
    public const string Died = "died";

    /// <summary>A basic pension starts, or the statutory retirement age is reached (DOMAIN.md: a stop event).</summary>
    public const string PensionStarted = "pension-started";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["reemployed"] = "重新就业",
        [Died] = "死亡",
        [PensionStarted] = "开始领取基本养老金",
        ["enlisted"] = "应征服兵役",
        ["emigrated"] = "移居境外",
        ["imprisoned"] = "被判刑收监执行",
        ["refused-job"] = "无正当理由拒不接受介绍的工作或培训",
    };

    /// <summary>Why <paramref name="type"/> is refused as a stop event: not one of <see cref="Descriptions"/>' codes. Null when it is one.</summary>
    public static string? TypeError(string type) =>
        Descriptions.ContainsKey(type) ? null : $"Unknown event type '{type}'.";

    /// <summary>Why a stop event dated <paramref name="date"/> is refused whatever the claim: after <paramref name="today"/> (China time). Null otherwise.</summary>
    public static string? DateError(DateOnly date, DateOnly today) =>
        date > today ? "The event date is in the future." : null;
}
