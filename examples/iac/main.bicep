// Role assignments with conditions, as a Bicep file declares them.

param principalId string
param containerName string = 'reports'

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'reportsacct'
}

// Publishers read every blob but the secret and restricted ones. A footgun:
// ForAnyOfAnyValues:StringNotEquals against two values is not "none of" (ABAC3103).
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, 'publisher')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    conditionVersion: '2.0'
    condition: '''
(
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
)
OR
(
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&] ForAnyOfAnyValues:StringNotEquals {'Secret', 'Restricted'}
)
'''
  }
}

// The container is a parameter, interpolated: checkable only once deployed (a note).
resource containerReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, 'container-reader')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    conditionVersion: '2.0'
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'} AND NOT SubOperationMatches{\'Blob.List\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containerName}\'))'
  }
}
