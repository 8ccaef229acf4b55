// The namespaces most files of this project use; a file names only the ones particular to it.
global using Npgsql;
