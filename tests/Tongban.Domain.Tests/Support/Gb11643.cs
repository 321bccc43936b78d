namespace Tongban.Domain.Tests.Support;

/// <summary>
/// The GB 11643-1999 check character computed here from DOMAIN.md, independently of the code under test,
/// so that test identity numbers are wrong only where a test means them to be.
/// </summary>
public static class Gb11643
{
    public static string WithCheckCharacter(string first17)
    {
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * w[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }
}
