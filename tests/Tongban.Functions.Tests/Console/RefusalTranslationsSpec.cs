using System.Text.RegularExpressions;
using Tongban.Domain.Claims;
using Tongban.Tests.Archive;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// The console shows a refusal in the reviewer's words by its <c>code</c> (console/src/domain/problems.ts); a code the
/// server adds without a row there would reach staff as the English detail. So every code has a row, except those
/// whose refusal names a field and is shown by that field's error; and the console has no row for a code the server
/// does not send (a typo would never match).
/// </summary>
public sealed partial class RefusalTranslationsSpec
{
    /// <summary>Refusals that come as field errors (a stop event's type, date and reporter): the field says more than the code.</summary>
    private static readonly string[] ShownByTheirField =
    [
        RefusalCode.UnknownEventType, RefusalCode.DateInFuture, RefusalCode.EventBeforeBenefit, RefusalCode.ReporterRequired,
        RefusalCode.StopDateRequired, RefusalCode.StopDateOutsideEntitlement, RefusalCode.DeathReportedByFamily,
    ];

    [GeneratedRegex(@"const refusals: Record<string, string> = \{(?<rows>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex RefusalsMap();

    [GeneratedRegex(@"^\s*'(?<code>[^']+)':", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void The_console_translates_every_refusal_code_the_server_sends_and_no_other()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "console", "src", "domain", "problems.ts"));
        var map = RefusalsMap().Match(source);
        Assert.True(map.Success, "console/src/domain/problems.ts has no `const refusals: Record<string, string> = { … }`.");
        var translated = Row().Matches(map.Groups["rows"].Value).Select(m => m.Groups["code"].Value).ToList();

        Assert.Empty(translated.Except(RefusalCode.All));
        Assert.Empty(RefusalCode.All.Except(translated).Except(ShownByTheirField));
        Assert.Empty(ShownByTheirField.Intersect(translated));
        Assert.Equal(translated.Count, translated.Distinct().Count());
    }
}
