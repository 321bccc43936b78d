namespace Tongban.Payouts;

/// <summary>
/// Where a payment goes: the social-security-card account of the person (社会保障卡金融账户), unless a death was reported
/// with an account the family gave (the deceased's card account may be closed) — then every payment of that application
/// in a bank file created after the account was given goes there, in the account holder's name. Pinned to the file's creation time,
/// so a bank file written twice holds the same lines. SQL fragments over <c>payments p</c>, <c>applications a</c>,
/// <c>persons per</c> and <c>payout_files f</c>.
/// </summary>
public static class Payees
{
    /// <summary>LEFT JOINs the death report (alias <c>d</c>) whose account applies to the payment's bank file.</summary>
    public const string JoinSql =
        "LEFT JOIN death_reports d ON d.application_id = a.id AND d.payee_account_enc IS NOT NULL AND d.payee_given_at <= f.created_at";

    /// <summary>The encrypted account the payment goes to (null when there is none).</summary>
    public const string AccountSql = "COALESCE(d.payee_account_enc, per.bank_account_enc)";

    /// <summary>The encrypted name of the account holder.</summary>
    public const string NameSql = "COALESCE(d.payee_name_enc, a.name_enc)";
}
