using FlashSale.Common;

namespace FlashSale.Lots;

/// <summary>
/// Gives each lot its phone code. Not reentrant for <see cref="Assign"/>: the counter and both
/// maps move in one write, so two lots can never get one code. Lookups interleave (they only
/// read). One small entry per lot ever created; lot creation is bounded by the sellers' quota.
/// </summary>
internal sealed class PhoneCodeDirectoryGrain(
    [PersistentState("phone-codes", StorageNames.Default)] IPersistentState<PhoneCodeDirectoryState> state) : Grain, IPhoneCodeDirectoryGrain
{
    public async Task<int> Assign(string lotId)
    {
        var s = state.State;
        if (s.CodeOfLot.TryGetValue(lotId, out var known))
        {
            return known;
        }

        var code = Math.Max(s.Next, IPhoneCodeDirectoryGrain.FirstCode);
        s.Next = checked(code + 1);
        s.CodeOfLot[lotId] = code;
        s.LotOfCode[code] = lotId;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory is ahead of storage: drop the activation so no code is given twice from it.
            DeactivateOnIdle();
            throw;
        }

        return code;
    }

    public Task<string?> LotOf(int phoneCode) =>
        Task.FromResult(state.State.LotOfCode.TryGetValue(phoneCode, out var lotId) ? lotId : null);
}

[GenerateSerializer]
public sealed class PhoneCodeDirectoryState
{
    [Id(0)]
    public int Next { get; set; } = IPhoneCodeDirectoryGrain.FirstCode;

    [Id(1)]
    public Dictionary<string, int> CodeOfLot { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public Dictionary<int, string> LotOfCode { get; set; } = [];
}
