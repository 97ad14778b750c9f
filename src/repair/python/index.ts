export { PythonHelper, PythonUnavailableError, HELPER } from './client.js';
export { interpreterOf, suitePython } from './interpreter.js';
export { PythonRulesProvider, PythonSession, PythonSyntaxProvider, pythonLocations, pythonProviders } from './provider.js';
