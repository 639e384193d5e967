resource broken 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'broken'
  properties: {
    condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'
  }
}
