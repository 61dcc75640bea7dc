using System.Diagnostics.CodeAnalysis;

namespace FlashSale.Common;

/// <summary>Either the value a command produced or the refusal that left state unchanged.</summary>
[GenerateSerializer, Immutable]
public sealed record Outcome<T>([property: Id(0)] T? Value, [property: Id(1)] Refusal? Refusal)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Refusal is null;

#pragma warning disable CA1000 // Static factories on the generic type read best at call sites: Outcome<Lot>.Ok(lot).
    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Refused(Refusal refusal) => new(default, refusal);
#pragma warning restore CA1000

    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);
}
