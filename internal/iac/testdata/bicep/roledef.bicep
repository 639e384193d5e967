targetScope = 'subscription'

resource tagger 'Microsoft.Authorization/roleDefinitions@2022-05-01-preview' = {
  name: guid(subscription().id, 'blob-tagger')
  properties: {
    roleName: 'Blob tagger'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'
        ]
      }
      {
        actions: []
        dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']
        condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'tagged\''
        conditionVersion: '2.0'
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
