using System.Security.Cryptography;
using System.Text.Json;
using FlashSale.Api.Identity;
using FlashSale.Cluster.Embedded;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Security;

/// <summary>
/// Development's generated secrets. Each is made from 32 random bytes the first time it is
/// asked for; unless the data folder is in memory, it is kept in <c>secrets.json</c> there, so
/// tokens and webhooks stay valid across restarts. The file is created readable and writable by
/// this user only (0600, in a 0700 folder) and written whole to a temporary file that is then
/// renamed, so a crash never leaves half a file and two processes starting at once agree on one.
/// A file others can read is refused, as ssh refuses a private key others can read.
/// </summary>
public sealed partial class DevelopmentSecretStore(IOptions<DataFolderOptions> data, ILogger<DevelopmentSecretStore> logger)
{
    public const string FileName = "secrets.json";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode OthersAnyAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Lock _lock = new();
    private StoredSecrets? _secrets;

    /// <summary>The file, or null when the data folder is in memory.</summary>
    public string? FilePath => data.Value.InMemory ? null : Path.Combine(Path.GetFullPath(data.Value.Path), FileName);

    public SigningKey SigningKey()
    {
        lock (_lock)
        {
            while (true)
            {
                var secrets = Load();
                if (secrets.SigningKeys.Count > 0)
                {
                    return secrets.SigningKeys[0];
                }

                secrets.SigningKeys.Add(new SigningKey { Id = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), Key = NewSecret() });
                Save(secrets);
            }
        }
    }

    public string WebhookSecret(string method)
    {
        lock (_lock)
        {
            while (true)
            {
                var secrets = Load();
                if (secrets.WebhookSecrets.TryGetValue(method, out var secret))
                {
                    return secret;
                }

                secrets.WebhookSecrets[method] = "whsec_" + NewSecret();
                Save(secrets);
            }
        }
    }

    private static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private StoredSecrets Load()
    {
        if (_secrets is not null)
        {
            return _secrets;
        }

        _secrets = FilePath is { } path && File.Exists(path) ? Read(path) : new StoredSecrets();
        return _secrets;
    }

    private static StoredSecrets Read(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersAnyAccess) != 0)
        {
            throw new InvalidOperationException($"{path} can be read by other users: make it readable by its owner only (chmod 600), or delete it to generate new secrets.");
        }

        return JsonSerializer.Deserialize<StoredSecrets>(File.ReadAllText(path), FileJson)
            ?? throw new InvalidOperationException($"{path} is empty: delete it to generate new secrets.");
    }

    /// <summary>Keeps what was generated; when another process created the file first, adopts its secrets instead (the caller looks again).</summary>
    private void Save(StoredSecrets secrets)
    {
        if (FilePath is not { } path)
        {
            LogGenerated("this process only (in-memory data)");
            return;
        }

        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        var temporary = Path.Combine(folder, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnlyFile;
        }

        using (var file = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(file, secrets, FileJson);
            file.Flush(flushToDisk: true);
        }

        var first = !File.Exists(path);
        try
        {
            // The first write must not replace a file another process made a moment ago: if one
            // did, its secrets win and this process adopts them.
            File.Move(temporary, path, overwrite: !first);
        }
        catch (IOException) when (first && File.Exists(path))
        {
            File.Delete(temporary);
            _secrets = Read(path);
            return;
        }

        LogGenerated(path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: generated a secret for this installation, kept in {Place}. Configure FlashSale:Identity:SigningKeys, FlashSale:Payments:Webhooks:Secrets and FlashSale:Phone:Gateway:Secrets outside Development.")]
    private partial void LogGenerated(string place);

    /// <summary>The file's shape.</summary>
    private sealed class StoredSecrets
    {
        public List<SigningKey> SigningKeys { get; set; } = [];

        public Dictionary<string, string> WebhookSecrets { get; set; } = new(StringComparer.Ordinal);
    }
}
