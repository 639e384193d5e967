resource escapes 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'escapes'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000010'
    condition: '(\n\t@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike \'logs/\\*\'\r\n)\nOR\n(\n\t@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Cost\u{2D}Center<$key_case_sensitive$>] StringEquals \'\${literal} \u{1F642}😁\'\n)'
  }
}
