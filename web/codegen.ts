import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the committed schema: an API change that breaks an
// operation in a .graphql file fails codegen or tsc, and so the build.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          UUID: 'string',
          Date: 'string',
          DateTime: 'string',
          Decimal: 'string',
          JSON: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
