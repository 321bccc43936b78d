using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Claims;

/// <summary>
/// How the relative who reports a death is related to the deceased (近亲属, 社会保险法 art. 49: the family receives the
/// funeral grant and survivors' pension). Codes in the API; Chinese for staff.
/// </summary>
public static class Relationships
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["spouse"] = "配偶",
        ["child"] = "子女",
        ["parent"] = "父母",
        ["sibling"] = "兄弟姐妹",
        ["grandparent"] = "祖父母、外祖父母",
        ["grandchild"] = "孙子女、外孙子女",
        ["other"] = "其他近亲属",
    };
}

/// <summary>The relative who reports a death: from then on the one Tongban speaks to. Name and mobile normalised as at intake.</summary>
public sealed record Relative(string Name, string Relationship, string Mobile);

/// <summary>An account the family gives for what is paid after the death (the deceased's card account may be closed).</summary>
public sealed record PayeeAccount(string Name, string BankAccount)
{
    /// <summary>
    /// Reads an account as the API carries it: the holder's name (<see cref="PersonName"/>; <paramref name="defaultHolder"/>
    /// when not given) and the number (<see cref="BankAccountNumber"/>). Errors go to <c>payee.name</c> and
    /// <c>payee.bankAccount</c>; null when there are any.
    /// </summary>
    public static PayeeAccount? Read(string? name, string? bankAccount, string defaultHolder, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var holder = defaultHolder;
        if (name is not null && PersonName.Validate(name, out holder) is { } holderError)
            errors["payee.name"] = [$"The account holder's name: {holderError}."];
        if (!BankAccountNumber.TryNormalize(bankAccount, out var account))
            errors["payee.bankAccount"] = ["12 to 30 digits."];
        return errors.Count > before ? null : new PayeeAccount(holder, account);
    }
}

/// <summary>
/// A death reported by the family: who reports it, how many dependants (they set the survivors' pension) and, if the
/// family gives one, where the funeral grant, survivors' pension and unpaid benefit go.
/// </summary>
public sealed record DeathReport(Relative Reporter, int Dependants, PayeeAccount? Payee)
{
    /// <summary>Dependants a report may state (survivors' pension scales stop at 3+; more is a typing error).</summary>
    public const int MaxDependants = 20;

    /// <summary>
    /// Reads a death report as the API carries it. Errors are keyed by field path (<c>reporter.name</c>,
    /// <c>reporter.relationship</c>, <c>reporter.mobile</c>, <c>payee.name</c>, <c>payee.bankAccount</c>,
    /// <c>dependants</c>); null when there are any. Names follow <see cref="PersonName"/>, mobiles
    /// <see cref="MobileNumber"/>, accounts <see cref="PayeeAccount.Read"/>. The payee's name is the reporter's unless given.
    /// </summary>
    public static DeathReport? Read(string? name, string? relationship, string? mobile, int? dependants,
        bool payeeGiven, string? payeeName, string? payeeAccount, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        if (PersonName.Validate(name, out var reporterName) is { } nameError)
            errors["reporter.name"] = [$"The reporting relative's name: {nameError}."];
        if (relationship is null || !Relationships.Names.ContainsKey(relationship))
            errors["reporter.relationship"] = [$"One of: {string.Join(", ", Relationships.Names.Keys)}."];
        if (!MobileNumber.TryNormalize(mobile, out var reporterMobile))
            errors["reporter.mobile"] = ["The reporting relative's mobile: 11 digits from 13 to 19, optionally after +86, 0086 or 86."];
        if (dependants is < 0 or > MaxDependants)
            errors["dependants"] = [$"The number of dependants, 0 to {MaxDependants}."];
        var payee = payeeGiven ? PayeeAccount.Read(payeeName, payeeAccount, reporterName, errors) : null;
        return errors.Count > before ? null : new DeathReport(new Relative(reporterName, relationship!, reporterMobile), dependants ?? 1, payee);
    }
}
