// The namespaces most files of this project use; a file names only the ones particular to it.
global using LiveAspire.Contracts.Auth;
global using LiveAspire.Data.Access;
global using Npgsql;
global using StackExchange.Redis;
