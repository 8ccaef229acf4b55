using LiveAspire.Data.Schema;
using LiveAspire.Api.Data;

namespace LiveAspire.Tests.Data.Schema;

public class SchemaVerifierTypeTests
{
    [Theory]
    [InlineData("integer", "int4")]
    [InlineData("int4", "int4")]
    [InlineData("timestamp with time zone", "timestamptz")]
    [InlineData("character varying(50)", "varchar")]
    [InlineData("numeric(18,2)", "numeric")]
    [InlineData("text[]", "text[]")]
    [InlineData("_text", "text[]")]
    [InlineData("boolean", "bool")]
    [InlineData("uuid", "uuid")]
    public void StoreTypesAndUdtNamesNormaliseToTheSameName(string storeType, string expected)
        => Assert.Equal(expected, SchemaVerifier.NormaliseType(storeType));
}
