using System.Text;
using System.Text.Json;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// A reproducible synthetic support log (JSONL): 4–8 turns of 100–400 characters per conversation, customer and agent
/// names on every record, and PII (emails, phones, cards, IBANs, addresses, IPs, order numbers) in about a third of
/// the customer turns, so that redaction does real work.
/// </summary>
internal static class SyntheticSupportLogs
{
    static readonly string[] FirstNames = ["Anna", "Ben", "Carla", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kai", "Lena"];
    static readonly string[] LastNames = ["Schmidt", "Miller", "Rossi", "Novak", "Garcia", "Okafor", "Jensen", "Dubois", "Kowalski", "Tanaka"];
    static readonly string[] Customer =
    [
        "My PW-200 router keeps dropping the connection every evening around 8 pm and I have already restarted it twice.",
        "I ordered the wall mount last week and the tracking page has not changed since Tuesday, can you check what is going on?",
        "The app asks me to update to v2.3.1 but the update fails at 45% with an error message about storage.",
        "I was charged $49.99 twice this month for the same subscription, please refund one of the payments.",
        "How do I reset the admin password? The reset email never arrives, I checked the spam folder too.",
        "After the firmware update the fan is much louder than before, is this expected or is something broken?",
    ];
    static readonly string[] Agent =
    [
        "Thanks for reaching out. Please hold the reset button for 10 seconds until the light blinks, then wait two minutes for the device to restart.",
        "I have checked the shipment: the parcel is at the regional depot and should be delivered within 2 business days. You will get an email when it leaves.",
        "I am sorry about the double charge. I have refunded the second payment; it can take 3 to 5 business days to show on your statement.",
        "The update needs about 1.2 GB of free space. Please remove old recordings under Settings > Storage and try again; it should then complete.",
        "That fan noise is expected during the first hour after an update while the device re-indexes. If it continues tomorrow, let me know and we will replace it.",
    ];
    static readonly string[] Pii =
    [
        "You can reach me at {0}.{1}@example.com or on +49 30 1234567.",
        "My card 4111 1111 1111 1111 was charged, my IBAN is DE89 3704 0044 0532 0130 00 for the refund.",
        "Please send it to 221B Baker Street, London instead.",
        "My order number is PW-ORD-{2} and the router's IP is 192.168.1.{3}.",
        "Call me on (555) 123-4567 after 5 pm, or write to {0}@mail.example.org.",
    ];

    public static void Write(string path, int conversations, int seed = 42)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var json = new Utf8JsonWriter(file);
        var text = new StringBuilder();
        for (var i = 0; i < conversations; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var agent = FirstNames[random.Next(FirstNames.Length)];
            json.Reset(file);
            json.WriteStartObject();
            json.WriteString("ticket_id", $"SYN-{i:D7}");
            json.WriteString("subject", "Question about my device");
            json.WriteString("customer_name", $"{first} {last}");
            json.WriteString("agent_name", $"{agent} Support");
            json.WriteString("created_at", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i));
            json.WriteStartArray("tags");
            json.WriteStringValue(random.Next(2) == 0 ? "billing" : "technical");
            json.WriteEndArray();
            json.WriteString("resolution", random.Next(4) == 0 ? "unresolved" : "resolved");
            json.WriteStartArray("messages");
            var turns = random.Next(4, 9);
            for (var t = 0; t < turns; t++)
            {
                var customer = t % 2 == 0;
                text.Clear();
                if (!customer && random.Next(2) == 0) text.Append("Hi ").Append(first).Append(", ");
                var pool = customer ? Customer : Agent;
                var target = random.Next(100, 401);
                while (text.Length < target) text.Append(pool[random.Next(pool.Length)]).Append(' ');
                if (customer && random.Next(3) == 0)
                    text.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, Pii[random.Next(Pii.Length)],
                        first.ToLowerInvariant(), last.ToLowerInvariant(), random.Next(100000, 999999), random.Next(2, 250)));
                if (text.Length > 400) text.Length = 400;
                json.WriteStartObject();
                json.WriteString("role", customer ? "customer" : "agent");
                json.WriteString("text", text.ToString().Trim());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            file.WriteByte((byte)'\n');
        }
    }
}
