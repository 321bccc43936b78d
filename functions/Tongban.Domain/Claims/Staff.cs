namespace Tongban.Domain.Claims;

public enum StaffRole { Reviewer, Supervisor, Administrator }

/// <summary>Who is acting: a staff member of an office in a city (administrators have neither).</summary>
public sealed record StaffMember(string Username, StaffRole Role, string? OfficeCode, string? CityCode);
