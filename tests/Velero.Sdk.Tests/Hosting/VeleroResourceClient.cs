using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Tests.Hosting;

/// <summary>The velero.io/v1 resources of namespace <c>velero</c>, read and written over plain HTTP, as a test sees them.</summary>
internal sealed class VeleroResourceClient(HttpClient http)
{
    public static string Path(string plural, string? name = null) =>
        $"/apis/velero.io/v1/namespaces/velero/{plural}" + (name is null ? string.Empty : "/" + name);

    public async Task<JsonObject?> GetAsync(string plural, string name)
    {
        var response = await http.GetAsync(Path(plural, name));
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())! : null;
    }

    public async Task<JsonArray> ListAsync(string plural) =>
        (await http.GetFromJsonAsync<JsonObject>(Path(plural)))!["items"]!.AsArray();

    public async Task<JsonObject> CreateAsync(string plural, string json)
    {
        var response = await http.PostAsync(Path(plural), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Waits (wall clock) until the object satisfies <paramref name="condition"/>, or fails naming what it last saw.</summary>
    public async Task<JsonObject> WaitForAsync(string plural, string name, Func<JsonObject, bool> condition, int seconds = 30)
    {
        var watch = Stopwatch.StartNew();
        JsonObject? last = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await GetAsync(plural, name);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new ShouldAssertException($"{plural}/{name} did not reach the expected state in {seconds} s; last seen: {last?.ToJsonString() ?? "<missing>"}");
    }

    public Task<JsonObject> WaitForPhaseAsync(string plural, string name, string phase, int seconds = 30) =>
        WaitForAsync(plural, name, o => (string?)o["status"]?["phase"] == phase, seconds);

}
